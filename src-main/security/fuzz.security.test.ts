import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METHOD_NAMES, STREAM_NAMES } from '../../src-shared/methods';
import { startHostForCore, type WebHost } from '../host/web-host';
import { LONG_PROMPT, startEmulatedCore, type EmulatedCore } from '../testing/emulated-core';

/**
 * A bounded fuzz of the browser host: 2,000 calls of every method and stream with hostile values (a seeded
 * generator, so a failure replays), plus broken paths, verbs and bodies. Whatever comes in, the host answers
 * 2xx/4xx with JSON or an event stream; a 5xx, a dropped connection or an internal error (a TypeError, SQL quoted
 * back) fails the test with the call that caused it.
 */

const CALLS = 2_000;
const CONCURRENCY = 8;

/** mulberry32: small, seeded, good enough to pick cases. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // next() < 1, so the index is below items.length (a hostile value may itself be undefined: no check on it).
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, int: (below: number) => Math.floor(next() * below) };
}

const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', "x' or '1'='1", '"; drop table latency_runs; --', '../../../../etc/passwd', '%00', '%E0%A4%A',
  '=HYPERLINK("http://evil","x")', '\u202Egnp.exe', '\u001b[2J', '<script>alert(1)</script>', 'javascript:alert(1)', '99999999999999999999d',
  '2026-13-45', '7d', 'us-east-1', 'mars-north-9', 'anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-pro-v1:0', 'x'.repeat(5_000),
  '🙂'.repeat(300), '__proto__', 'constructor', 'NaN', '-1', '1e309', '7d9f2c1e-0d6b-4f7a-9a59-2f0f3a7b8c11',
];
const HOSTILE_NUMBERS = [0, -1, 1, 2 ** 31, -(2 ** 53), 1e308, 0.5, Number.MAX_SAFE_INTEGER, 3.75 * 1024 * 1024];

function hostileValue(rng: ReturnType<typeof random>, depth = 0): unknown {
  const kind = rng.int(depth > 2 ? 5 : 8);
  switch (kind) {
    case 0:
      return rng.pick(HOSTILE_STRINGS);
    case 1:
      return rng.pick(HOSTILE_NUMBERS);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return rng.pick(HOSTILE_STRINGS);
    case 4:
      return rng.pick(HOSTILE_NUMBERS);
    case 5:
      return Array.from({ length: rng.int(4) }, () => hostileValue(rng, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(FIELDS), hostileValue(rng, depth + 1)]));
  }
}

const FIELDS = ['target', 'region', 'regions', 'since', 'limit', 'query', 'modelId', 'fromRegion', 'from', 'format', 'runId', 'id', 'title', 'panes', 'messages', 'search', 'metric', 'runs', 'concurrency', 'samples', 'inferenceConfig', 'system', '__proto__'];

/** Inputs close to valid, so the fuzz reaches the handlers and not only the schemas: one field replaced by a hostile value. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  findModel: { query: 'haiku' },
  bestRegions: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', fromRegion: 'us-east-1' },
  getModelAccess: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1' },
  countTokens: { target: LONG_PROMPT.target, region: 'us-east-1', messages: LONG_PROMPT.messages },
  saveConversation: { title: 'fuzz', panes: [{ target: LONG_PROMPT.target, region: 'us-east-1', turns: [{ role: 'user', content: [{ text: 'hi' }] }] }] },
  listConversations: { search: 'x', limit: 10 },
  getConversation: { id: '7d9f2c1e-0d6b-4f7a-9a59-2f0f3a7b8c11' },
  deleteConversation: { id: '7d9f2c1e-0d6b-4f7a-9a59-2f0f3a7b8c11' },
  estimateLatencyRun: { target: LONG_PROMPT.target, regions: ['us-east-1'], runs: 2 },
  latencyHistory: { target: LONG_PROMPT.target, since: '7d', limit: 10 },
  latencySeries: { target: LONG_PROMPT.target, since: '7d', metric: 'ttftMs' },
  rankRoutes: { target: LONG_PROMPT.target, from: 'us-east-1' },
  exportLatency: { format: 'csv', target: LONG_PROMPT.target },
  converse: { ...LONG_PROMPT, inferenceConfig: { maxTokens: 5 } },
  probeNetwork: { regions: ['us-east-1'], samples: 1 },
  runLatency: { target: LONG_PROMPT.target, regions: ['us-east-1'], runs: 1, maxTokens: 3, warmup: 0 },
};

let setup: EmulatedCore;
let host: WebHost;

beforeAll(async () => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'atlas-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Bedrock Atlas</title>');
  setup = await startEmulatedCore({ overrides: { dataDir: await mkdtemp(join(tmpdir(), 'atlas-fuzz-data-')) }, scenario: { timeToFirstTokenMs: { '*': 1 }, perTokenMs: { '*': 0 } } });
  host = await startHostForCore(setup.core, { rendererDir, bodyTimeoutMs: 2_000 });
});
afterAll(async () => {
  await host?.close();
  await setup?.close();
});

interface Case {
  path: string;
  method: string;
  body?: string;
  headers?: Record<string, string>;
}

function caseAt(rng: ReturnType<typeof random>): Case {
  const roll = rng.next();
  const names = [...METHOD_NAMES.filter((name) => name !== 'updateSettings'), ...STREAM_NAMES];
  const name = rng.pick(names);
  const isStream = (STREAM_NAMES as readonly string[]).includes(name);
  const path = isStream ? `/api/stream/${name}` : `/api/${name}`;
  if (roll < 0.05) return { path: rng.pick(['/api/%E0%A4%A', '/api/../etc/passwd', '/api/stream/%00', '/../../etc/passwd', '/api/', '/api/stream/']), method: rng.pick(['GET', 'POST', 'PUT', 'DELETE']) };
  if (roll < 0.1) return { path, method: 'POST', body: rng.pick(['{', 'null', '[]', '"x"', '{"a":', '\u0000', '{"__proto__":{"polluted":1}}']) };
  if (roll < 0.15) return { path, method: 'POST', body: '{}', headers: { 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', '']) } };
  const template = TEMPLATES[name] ?? {};
  const input: Record<string, unknown> = structuredClone(template);
  const field = rng.next() < 0.8 ? rng.pick([...Object.keys(template), ...FIELDS]) : null;
  if (field) input[field] = hostileValue(rng);
  return { path, method: 'POST', body: JSON.stringify(rng.next() < 0.1 ? hostileValue(rng) : input) ?? 'null' };
}

describe('fuzzing the browser host', () => {
  it(`answers ${CALLS} hostile calls without a single 5xx, dropped connection or internal error`, async () => {
    const rng = random(20);
    const cases = Array.from({ length: CALLS }, () => caseAt(rng));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const call = cases[index];
        if (!call) break; // index < cases.length: never
        try {
          const response = await fetch(`${host.url}${call.path}`, {
            method: call.method,
            headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...call.headers },
            body: call.method === 'GET' || call.method === 'HEAD' ? undefined : (call.body ?? '{}'),
            // A hang detector, not a timing assertion: generous for a loaded 2-core machine.
            signal: AbortSignal.timeout(20_000),
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) failures.push(`#${index} ${call.method} ${call.path} ${call.body?.slice(0, 200)} → ${response.status}`);
          // A bad value must be refused as invalid, not fail inside a handler (a TypeError, a RangeError, SQL quoted back).
          const internal = /"name":"(TypeError|RangeError|ReferenceError|SyntaxError|Error)"|Parser Error|Binder Error|select .* from /i.exec(text);
          if (internal) failures.push(`#${index} ${call.method} ${call.path} ${call.body?.slice(0, 200)} → ${internal[0]}: ${text.slice(0, 300)}`);
        } catch (error) {
          failures.push(`#${index} ${call.method} ${call.path} ${call.body?.slice(0, 200)} → ${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures).toEqual([]);
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(CALLS);
    // The fuzz reached the handlers, not only the gate: some calls succeeded and some were refused as invalid.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
  }, 300_000);
});
