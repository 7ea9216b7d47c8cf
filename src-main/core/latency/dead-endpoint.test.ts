import { afterEach, describe, expect, it } from 'vitest';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';

let setup: EmulatedLab | null = null;
afterEach(async () => {
  await setup?.close().catch(() => {});
  setup = null;
});

describe('a latency run whose endpoint dies', () => {
  it('stops the route after a few connection failures in a row, names the cause, and says partial, not completed', async () => {
    setup = await startEmulatedLab({ overrides: { regions: ['us-east-1'] } });
    const { emulator, core } = setup;
    const reachability: { answering: boolean; cause: string | null }[] = [];
    core.events.subscribe((event) => {
      if (event.type === 'aws.reachability') reachability.push(event.payload);
    });
    let killed: Promise<void> | null = null;
    const report = await setup.run(
      { target: HAIKU_3, regions: ['us-east-1'], runs: 60, concurrency: 1, warmup: 0, maxTokens: 2 },
      {
        onProgress: (progress) => {
          if (progress.done >= 3) killed ??= emulator.close();
        },
      },
    );
    await killed;
    const route = report.regions['us-east-1'];
    expect(route && 'route' in route).toBe(true);
    if (!route || !('route' in route)) return;
    expect(route.samples).toBeGreaterThanOrEqual(3);
    expect(route.stopped).toMatchObject({ code: 'CONNECTION_LOST', message: expect.stringMatching(/Stopped after 3 connection failures in a row\. .*ECONNREFUSED/) });
    // It stopped: far fewer requests than the 60 asked for were sent.
    expect(route.samples + route.errors.network + route.errors.other).toBeLessThan(20);
    expect(report.status).toBe('partial');
    // The status bar hears that AWS stopped answering, from the run's own calls.
    expect(reachability.at(-1)).toMatchObject({ answering: false, cause: expect.stringMatching(/^ECONNREFUSED to 127\.0\.0\.1:\d+$/) });
    expect(reachability.some((state) => state.answering)).toBe(true);
    expect(core.snapshotEvents()).toContainEqual({ type: 'aws.reachability', payload: expect.objectContaining({ answering: false }) });
  });

  it('says failed when no route produced a sample', async () => {
    setup = await startEmulatedLab({ overrides: { regions: ['us-east-1'] } });
    await setup.core.catalog().get();
    await setup.emulator.close();
    const report = await setup.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 10, concurrency: 1, warmup: 0, maxTokens: 2 });
    expect(report.status).toBe('failed');
    expect(report.regions['us-east-1']).toMatchObject({ error: { code: 'CONNECTION_LOST', message: expect.stringMatching(/ECONNREFUSED/) } });
  });
});
