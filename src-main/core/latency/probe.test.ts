import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeChunk, ProbeRegionResult, RegionFailure } from '../../../src-shared/contract';
import { startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';

const labs: EmulatedLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});

describe('network probe', () => {
  it('times DNS, connect and first byte cold and warm per region', async () => {
    const lab = await startEmulatedLab({ scenario: { connectionSetupMs: { 'us-east-1': 30, 'eu-west-1': 120 } } });
    labs.push(lab);
    const chunks: ProbeChunk[] = [];
    const report = await lab.core.streamHandlers.probeNetwork(
      { regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], samples: 3 },
      { signal: new AbortController().signal, emit: async (chunk) => void chunks.push(chunk) },
    );
    const east = report.regions['us-east-1'] as ProbeRegionResult;
    const west = report.regions['eu-west-1'] as ProbeRegionResult;
    expect(east).toMatchObject({ endpoint: lab.emulator.url, samples: 3, cold: { dnsMs: null, tlsMs: null } });
    // The handshake delay is paid by a new connection's first request: in the cold first byte, never the warm one.
    expect(east.cold.ttfbMs).toBeGreaterThanOrEqual(29);
    expect(west.cold.ttfbMs).toBeGreaterThanOrEqual(119);
    expect(west.cold.totalMs).toBeGreaterThan(west.cold.ttfbMs);
    // The emulator charges the handshake on a connection's first request only: 3 regions x (3 cold connections, and
    // the pooled one opened before the warm samples), so every warm sample went over a connection that had paid it.
    expect(lab.emulator.stats().totalConnections).toBe(3 * (3 + 1));
    expect(chunks.map((chunk) => chunk.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    expect(report.status).toBe('completed');
    const { runs } = await lab.core.handlers.latencyHistory({ limit: 1 }, { signal: new AbortController().signal });
    expect(runs[0]).toMatchObject({ id: report.id, kind: 'probe', regions: { 'eu-west-1': { samples: 6 } } });
  });

  it('a warm first byte still pays the round trip: only the handshake is saved', async () => {
    const lab = await startEmulatedLab({ scenario: { connectionSetupMs: { 'eu-west-1': 80 }, roundTripMs: { 'eu-west-1': 40 } } });
    labs.push(lab);
    const report = await lab.core.streamHandlers.probeNetwork({ regions: ['eu-west-1'], samples: 2 }, { signal: new AbortController().signal, emit: async () => {} });
    const west = report.regions['eu-west-1'] as ProbeRegionResult;
    // Lower bounds only: the emulator waits at least this long before answering, whatever the machine's load.
    expect(west.warm.ttfbMs.min).toBeGreaterThanOrEqual(39);
    expect(west.cold.ttfbMs).toBeGreaterThanOrEqual(119);
  });

  it('the realistic scenario charges every region a round trip', async () => {
    const { loadBuiltInScenario } = await import('../../emulator/scenario');
    const realistic = loadBuiltInScenario('realistic');
    for (const [region, setup] of Object.entries(realistic.connectionSetupMs)) {
      expect(realistic.roundTripMs[region], region).toBeGreaterThan(0);
      expect(realistic.roundTripMs[region], region).toBeLessThan(setup as number);
    }
  });

  it('ends at once when cancelled, with the regions that finished, leaving a hanging region out', async () => {
    const lab = await startEmulatedLab({ scenario: { hang: ['eu-west-1'] } });
    labs.push(lab);
    // Cancelled once us-east-1 has its answer, while eu-west-1 hangs.
    const abort = new AbortController();
    const report = await lab.core.streamHandlers.probeNetwork(
      { regions: ['us-east-1', 'eu-west-1'], samples: 2 },
      { signal: abort.signal, emit: async (chunk) => (chunk.region === 'us-east-1' ? abort.abort() : undefined) },
    );
    expect(report.status).toBe('cancelled');
    expect(report.regions['us-east-1']).toMatchObject({ samples: 2 });
    expect(report.regions['eu-west-1'] as RegionFailure | undefined).toBeUndefined();
  });
});

describe('a probe that cannot connect', () => {
  it('names the failure through the error model: the class code and the fix', async () => {
    const lab = await startEmulatedLab();
    labs.push(lab);
    await lab.core.catalog().get();
    await lab.emulator.close();
    const report = await lab.core.streamHandlers.probeNetwork({ regions: ['eu-west-1'], samples: 1 }, { signal: new AbortController().signal, emit: async () => {} });
    expect(report.regions['eu-west-1']).toMatchObject({
      error: { code: 'CONNECTION_LOST', message: expect.stringMatching(/^127\.0\.0\.1:\d+: Could not connect to Bedrock runtime in eu-west-1 \(ECONNREFUSED\): check the network, the proxy or the endpoint URL, and that it is running\./) },
    });
  });
});
