import { availableParallelism, loadavg } from 'node:os';
import { LOOKUPS_PER_SECOND } from '../core/attribution/service';
import { MAX_RESULTS } from '../core/attribution/lookup';
import { startAttributionLab } from '../testing/attribution-lab';

/**
 * npm run bench:attribution (the third figure of issue 18's bench:load): the time to attribute 1,000 samples from an
 * emulated CloudTrail, against the floor LookupEvents' rate limit sets. 1,000 requests through a cross-Region profile
 * are measured (fast, against the emulator), then their attribution is timed on the wall clock from the first
 * question to the job's end. CloudTrail answers 50 events a page and 2 calls a second per region, so reading them
 * takes at least (calls - 1) / 2 s: target, the attribution is bound by that and nothing else (within 10 %).
 * It prints numbers; no test asserts on time.
 */

const SAMPLES = 1_000;
const PROFILE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const signal = new AbortController().signal;

const lab = await startAttributionLab({
  realClock: true,
  scenario: {
    routing: [{ profileId: PROFILE, sourceRegion: 'us-east-1', weights: { 'us-east-1': 5, 'us-east-2': 3, 'us-west-2': 2 } }],
    timeToFirstTokenMs: { '*': 1 },
    perTokenMs: { '*': 0 },
    cloudtrail: { ratePerSecond: LOOKUPS_PER_SECOND },
  },
});
try {
  const report = await lab.run({ target: PROFILE, regions: ['us-east-1'], runs: SAMPLES, concurrency: 32, maxTokens: 1, warmup: 0 });
  const started = performance.now();
  let { job } = await lab.core.handlers.attributionStatus({ runId: report.id }, { signal });
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 10));
    ({ job } = await lab.core.handlers.attributionStatus({ runId: report.id }, { signal }));
  }
  const elapsedMs = performance.now() - started;
  // The first call goes at once; each later one waits its turn, 1/rate after the one before.
  const floorMs = ((job.lookups - 1) * 1000) / LOOKUPS_PER_SECOND;
  const ratio = elapsedMs / floorMs;
  // Every page once: the ConverseStream events 50 a page, and the one (empty) page of Converse events. More calls
  // than that are pages asked again after a throttle.
  const pages = Math.ceil(SAMPLES / MAX_RESULTS) + 1;
  console.log(`Machine: ${availableParallelism()} cores, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  console.log(`Run: ${SAMPLES} requests through ${PROFILE} from us-east-1 (${report.status})`);
  console.log(`Attribution: ${job.state}, ${job.counts.attributed} attributed, ${job.counts.unattributed} unattributed, ${job.passes} pass(es)`);
  console.log(`LookupEvents: ${job.lookups} calls (${MAX_RESULTS} events a page, ${LOOKUPS_PER_SECOND} calls/s per region) for ${pages} pages; asked again after a throttle: ${job.lookups - pages}`);
  console.log(`Time to attribute: ${(elapsedMs / 1000).toFixed(2)} s; rate-limit floor ${(floorMs / 1000).toFixed(2)} s; ratio ${ratio.toFixed(3)}; time outside the rate limit ${((elapsedMs - floorMs) / 1000).toFixed(2)} s`);
  console.log(`Target (bound by the rate limit, ratio <= 1.10): ${ratio <= 1.1 && job.counts.attributed === SAMPLES ? 'PASS' : 'FAIL'}`);
} finally {
  await lab.close();
}
