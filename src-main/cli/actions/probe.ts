import type { ProbeRegionResult, RegionFailure } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { EXIT_INTERRUPTED, interruptible } from '../interrupt';
import type { ActionContext } from '../lazy-action';
import { callStream } from '../core-calls';
import { checkDataDir } from '../data-dir';
import { formatTable } from '../table';
import { openCommandCore } from '../command-core';

/** `bedrock-atlas probe`: DNS, TCP, TLS and time to first byte per region, cold and warm, all regions at once. */

const fixed = (value: number | null) => (value === null ? '–' : value.toFixed(1));

export async function probeAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  const { signal, release } = interruptible();
  try {
    const settings = core.settings();
    const regions = settings.regions.length > 0 ? settings.regions : undefined;
    const input = { samples: opts.samples as number, ...(regions ? { regions } : {}) };
    await checkDataDir(settings.dataDir, shared.overrides.dataDir !== undefined, 'write');
    const count = (regions ?? COMMERCIAL_REGIONS).length;
    const report = await callStream(
      core,
      'probeNetwork',
      input,
      ({ region, result }) => io.stderr(`${region}: ${'error' in result ? `FAILED ${result.error.code}` : `cold ${fixed(result.cold.totalMs)} ms, warm TTFB p50 ${fixed(result.warm.ttfbMs.p50)} ms`}`),
      { signal, flags: { samples: '--samples', regions: '--regions' }, before: () => io.stderr(`Probing ${count} regions, ${input.samples} cold and ${input.samples} warm samples each…`) },
    );
    if (opts.json) {
      io.stdout(JSON.stringify({ regions: report.regions }, null, 2));
    } else {
      const rows: string[][] = [];
      const failures: string[] = [];
      for (const [region, result] of Object.entries(report.regions) as [string, ProbeRegionResult | RegionFailure][]) {
        if ('error' in result) {
          failures.push(`${region}: ${result.error.code}: ${result.error.message}`);
          continue;
        }
        const { cold, warm } = result;
        rows.push([region, fixed(cold.dnsMs), fixed(cold.connectMs), fixed(cold.tlsMs), fixed(cold.ttfbMs), fixed(cold.totalMs), `${fixed(warm.ttfbMs.p50)}/${fixed(warm.ttfbMs.p90)}/${fixed(warm.ttfbMs.p99)}`]);
      }
      for (const line of formatTable(['REGION', 'DNS ms', 'TCP ms', 'TLS ms', 'TTFB ms', 'COLD TOTAL', 'WARM TTFB p50/p90/p99'], rows)) io.stdout(line);
      for (const line of failures) io.stdout(line);
    }
    if (signal.aborted) {
      io.stderr('Cancelled: the regions above finished before the interrupt.');
      process.exitCode = EXIT_INTERRUPTED;
    }
  } finally {
    release();
    await core.close();
  }
}
