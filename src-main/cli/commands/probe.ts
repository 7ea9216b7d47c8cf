import { Command, Option } from 'commander';
import { ProbeInputSchema, type ProbeRegionResult, type RegionFailure } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { addAwsOptions, addCatalogOptions } from '../options';
import { EXIT_INTERRUPTED, interruptible, parseCount, parseOrExplain } from './latency';
import type { CommandIo } from '../io';
import { openCommandCore } from '../command-core';

/** `bedrock-atlas probe`: DNS, TCP, TLS and time to first byte per region, cold and warm, all regions at once. */

const fixed = (value: number | null) => (value === null ? '–' : value.toFixed(1));

export function probeCommand(io: CommandIo, version: string): Command {
  const command = new Command('probe')
    .description('measure the network to each region: DNS, TCP connect, TLS, first byte (cold and warm)')
    .addOption(new Option('--samples <n>', 'cold and warm samples per region (1-100)').argParser(parseCount).default(5))
    .addOption(new Option('--json', 'print the result as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const input = parseOrExplain(ProbeInputSchema, { samples: opts.samples, ...(opts.regions ? { regions: opts.regions } : {}) });
    const count = (input.regions ?? COMMERCIAL_REGIONS).length;
    const core = await openCommandCore(opts, io, version);
    const { signal, release } = interruptible();
    try {
      io.stderr(`Probing ${count} regions, ${input.samples} cold and ${input.samples} warm samples each…`);
      const report = await core.streamHandlers.probeNetwork(
        input,
        { signal, emit: async ({ region, result }) => io.stderr(`${region}: ${'error' in result ? `FAILED ${result.error.code}` : `cold ${fixed(result.cold.totalMs)} ms, warm TTFB p50 ${fixed(result.warm.ttfbMs.p50)} ms`}`) },
      );
      if (opts.json) {
        io.stdout(JSON.stringify({ regions: report.regions }, null, 2));
      } else {
        io.stdout('REGION          DNS ms  TCP ms  TLS ms  TTFB ms  COLD TOTAL  WARM TTFB p50/p90/p99');
        for (const [region, result] of Object.entries(report.regions) as [string, ProbeRegionResult | RegionFailure][]) {
          if ('error' in result) {
            io.stdout(`${region.padEnd(16)}${result.error.code}: ${result.error.message}`);
            continue;
          }
          const { cold, warm } = result;
          io.stdout(
            `${region.padEnd(16)}${fixed(cold.dnsMs).padEnd(8)}${fixed(cold.connectMs).padEnd(8)}${fixed(cold.tlsMs).padEnd(8)}${fixed(cold.ttfbMs).padEnd(9)}${fixed(cold.totalMs).padEnd(12)}${fixed(warm.ttfbMs.p50)}/${fixed(warm.ttfbMs.p90)}/${fixed(warm.ttfbMs.p99)}`,
          );
        }
      }
      if (signal.aborted) {
        io.stderr('Cancelled: the regions above finished before the interrupt.');
        process.exitCode = EXIT_INTERRUPTED;
      }
    } finally {
      release();
      core.close();
    }
  });
}
