import { describe, expect, it } from 'vitest';
import bundled from '../../bundled/bedrock_catalog_bundled.json';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import type { HistoryRun, LatencyStats } from '../../src-shared/contract/latency';
import { bandOf, measuredTtftByCell, overlayCss } from './matrix-overlay';

const document = bundled as CatalogDocument;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const stats = (p50: number): LatencyStats => ({ p50, p90: p50, p99: p50, mean: p50, min: p50, max: p50, stddev: 0 });
const run = (id: string, target: string | null, regions: Record<string, number>, kind: HistoryRun['kind'] = 'latency'): HistoryRun => ({
  id,
  kind,
  startedAt: '2026-11-23T01:00:00.000Z',
  target,
  status: 'completed',
  regions: Object.fromEntries(Object.entries(regions).map(([key, p50]) => [key, { samples: 5, ttftMs: stats(p50), e2eMs: null, outputTokensPerSecond: null }])),
});

describe('the matrix TTFT overlay', () => {
  it('keeps the newest figure per model and region, resolving names and profiles to their model', () => {
    const cells = measuredTtftByCell(document, [
      run('new', 'claude 3 haiku', { 'us-east-1': 300 }),
      run('old', HAIKU, { 'us-east-1': 900, 'eu-west-1': 450 }),
      run('probe', null, { 'us-east-1': 1 }, 'probe'),
      run('unknown', 'no such model anywhere', { 'us-east-1': 5 }),
    ]);
    expect(cells).toEqual([
      { modelId: HAIKU, region: 'us-east-1', ttftP50Ms: 300 },
      { modelId: HAIKU, region: 'eu-west-1', ttftP50Ms: 450 },
    ]);
  });

  it('a compared profile route counts for its region only when the region’s own route was not measured', () => {
    const cells = measuredTtftByCell(document, [run('compare', HAIKU, { [`eu-central-1 eu.${HAIKU}`]: 700, 'eu-central-1': 400, [`eu-west-3 eu.${HAIKU}`]: 650 })]);
    expect(cells).toEqual([
      { modelId: HAIKU, region: 'eu-central-1', ttftP50Ms: 400 },
      { modelId: HAIKU, region: 'eu-west-3', ttftP50Ms: 650 },
    ]);
  });

  it('bands by p50, and writes one rule per cell with the figure, quoting the ids', () => {
    expect([bandOf(120).label, bandOf(300).label, bandOf(799).label, bandOf(5000).label]).toEqual(['< 300 ms', '300–500', '500–800', '≥ 1500 ms']);
    const css = overlayCss([{ modelId: 'a"b', region: 'us-east-1', ttftP50Ms: 412.4 }]);
    expect(css).toContain('.cell[data-model="a\\"b"][data-region="us-east-1"]{background:#9ecae1!important');
    expect(css).toContain('::after{content:"412"');
  });
});
