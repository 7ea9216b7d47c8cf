import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogDocumentSchema, type CatalogModel } from '../../../src-shared/catalog/document';
import { cellRoute } from '../../../src-shared/catalog/queries';
import type { QuotaRouteKind, QuotaUnit } from '../../../src-shared/catalog/quotas';
import { bestFits, chooseModel, matchModelName, readModel, wordsOf, type ModelMatch } from './model-names';
import { DOUBLED_FOR_CROSS_REGION_NOTE, LATENCY_OPTIMIZED, parseQuotaName } from './quota-names';

/**
 * The matching of Service Quotas' names to route kinds, units and catalog models, on the real names of a us-east-1
 * dump and on a hand-made index of another tool (fixtures/README.md), and on made-up catalogs in the real patterns.
 */

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const dump = JSON.parse(fixture('list-service-quotas.bedrock.us-east-1.collector.json')) as { quotas: { quotaCode: string; quotaName: string }[] };
const catalog = CatalogDocumentSchema.parse(JSON.parse(fixture('catalog.bundled-8ac56b6.json')));

function model(modelId: string, modelName: string, providerName: string): CatalogModel {
  return { modelId, modelName, providerName, inputModalities: ['TEXT'], outputModalities: ['TEXT'], streaming: true, lifecycle: 'ACTIVE', regions: {} };
}

const match = (name: string, models: CatalogModel[], offersRoute?: (modelId: string) => boolean): ModelMatch => matchModelName(name, models.map(readModel), offersRoute);

describe('quota names: route kind, unit and variant', () => {
  it.each([
    ['On-demand model inference requests per minute for Anthropic Claude 3 Haiku', 'on-demand', 'requestsPerMinute', 'Anthropic Claude 3 Haiku'],
    ['On-demand model inference tokens per minute for Amazon Nova Lite', 'on-demand', 'tokensPerMinute', 'Amazon Nova Lite'],
    ['Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5', 'geo-profile', 'requestsPerMinute', 'Anthropic Claude Haiku 4.5'],
    ['Cross-Region model inference tokens per minute for Anthropic Claude 3.5 Sonnet V2', 'geo-profile', 'tokensPerMinute', 'Anthropic Claude 3.5 Sonnet V2'],
    ['Global cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1', 'global-profile', 'requestsPerMinute', 'Anthropic Claude Sonnet 4.5 V1'],
    ['Global cross-region model inference tokens per minute for Cohere Embed V4', 'global-profile', 'tokensPerMinute', 'Cohere Embed V4'],
    ['Global cross-region model inference tokens per day for Anthropic Claude Opus 4.5', 'global-profile', 'tokensPerDay', 'Anthropic Claude Opus 4.5'],
  ] as const)('%s', (name, routeKind, unit, modelName) => {
    expect(parseQuotaName(name)).toEqual({ unit, appliesTo: [{ routeKind, factor: 1 }], modelName });
  });

  it('reads "max tokens per day … (doubled for cross-region calls)" as the on-demand figure and twice it for a geo profile, saying so', () => {
    expect(parseQuotaName('Model invocation max tokens per day for Anthropic Claude Sonnet 4.5 V1 (doubled for cross-region calls)')).toEqual({
      unit: 'tokensPerDay',
      appliesTo: [
        { routeKind: 'on-demand', factor: 1 },
        { routeKind: 'geo-profile', factor: 2, note: DOUBLED_FOR_CROSS_REGION_NOTE },
      ],
      modelName: 'Anthropic Claude Sonnet 4.5 V1',
    });
  });

  it('keeps latency-optimized quotas apart as a variant, however "On-Demand, latency-optimized" is spelled', () => {
    for (const name of [
      'On-Demand, latency-optimized model inference tokens per minute for Amazon Nova Pro V1',
      'On-demand latency-optimized model inference tokens per minute for Anthropic Claude 3.5 Haiku',
    ]) {
      expect(parseQuotaName(name)).toMatchObject({ unit: 'tokensPerMinute', appliesTo: [{ routeKind: 'on-demand', factor: 1 }], variant: LATENCY_OPTIMIZED });
    }
    expect(parseQuotaName('Model invocation max latency-optimized tokens per day for Amazon Nova Pro V1')).toEqual({
      unit: 'tokensPerDay',
      appliesTo: [{ routeKind: 'on-demand', factor: 1 }],
      modelName: 'Amazon Nova Pro V1',
      variant: LATENCY_OPTIMIZED,
    });
  });

  it('keeps a context-length variant apart and out of the model name', () => {
    expect(parseQuotaName('Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length')).toEqual({
      unit: 'tokensPerMinute',
      appliesTo: [{ routeKind: 'geo-profile', factor: 1 }],
      modelName: 'Anthropic Claude Sonnet 4.5 V1',
      variant: '1M Context Length',
    });
  });

  it('reads through trailing spaces, a trailing period and doubled spaces', () => {
    expect(parseQuotaName('On-demand model inference requests per minute for Amazon Nova Micro ')).toMatchObject({ modelName: 'Amazon Nova Micro' });
    expect(parseQuotaName('Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5.')).toMatchObject({ modelName: 'Anthropic Claude Sonnet 4.5' });
    expect(parseQuotaName('On-demand  model inference tokens per minute for  Amazon Nova Lite')).toMatchObject({ unit: 'tokensPerMinute', modelName: 'Amazon Nova Lite' });
  });

  it.each([
    'Model units, with commitment, for Provisioned Throughout created for Meta Llama 4 Scout 17B Instruct 10M',
    'Model units per provisioned model for the 24k context length variant for Amazon Nova Micro ',
    'Sum of in-progress and submitted batch inference jobs using a base model for Claude Sonnet 4.5.',
    'Batch inference job size  (in GB) for Qwen3 Next 80B',
    '(Model customization) Sum of on demand custom model deployment tokens per minute for Amazon Nova Lite',
    '(Model customization) Sum of on demand custom model deployment tokens per day for Amazon Nova Pro',
    'On-demand InvokeModel concurrent requests for Amazon Nova Sonic',
    '(Knowledge Bases) Retrieve requests per second',
    'Inference profiles per account',
  ])('is not an inference quota: %s', (name) => {
    expect(parseQuotaName(name)).toBeNull();
  });

  it('reads every inference family of the real us-east-1 dump, and nothing else', () => {
    const counts = new Map<string, number>();
    for (const { quotaName } of dump.quotas) {
      const parsed = parseQuotaName(quotaName);
      if (!parsed) continue;
      const key = `${parsed.appliesTo.map((application) => application.routeKind).join('+')} ${parsed.unit}${parsed.variant === LATENCY_OPTIMIZED ? ' latency-optimized' : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({
      'on-demand requestsPerMinute': 90,
      'on-demand tokensPerMinute': 68,
      'geo-profile requestsPerMinute': 48,
      'geo-profile tokensPerMinute': 32,
      'global-profile requestsPerMinute': 9,
      'global-profile tokensPerMinute': 9,
      'global-profile tokensPerDay': 9,
      'on-demand+geo-profile tokensPerDay': 38,
      'on-demand requestsPerMinute latency-optimized': 3,
      'on-demand tokensPerMinute latency-optimized': 3,
      'on-demand tokensPerDay latency-optimized': 1,
    });
  });
});

describe('display names to catalog models', () => {
  const sonnets = [
    model('anthropic.claude-3-5-sonnet-20240620-v1:0', 'Claude 3.5 Sonnet', 'Anthropic'),
    model('anthropic.claude-3-5-sonnet-20241022-v2:0', 'Claude 3.5 Sonnet v2', 'Anthropic'),
    model('anthropic.claude-sonnet-4-20250514-v1:0', 'Claude Sonnet 4', 'Anthropic'),
    model('anthropic.claude-sonnet-4-5-20250929-v1:0', 'Claude Sonnet 4.5', 'Anthropic'),
  ];

  it('reads the same words from a display name and an id', () => {
    expect(wordsOf('Claude 3.5 Sonnet')).toEqual(['claude', '3.5', 'sonnet']);
    expect(wordsOf('Qwen3-Coder-30B-A3B-Instruct')).toEqual(['qwen', '3', 'coder', '30b', 'a3b', 'instruct']);
    expect(wordsOf('Command R+')).toEqual(['command', 'r', 'plus']);
    expect(wordsOf('Ministral 14B 3.0')).toEqual(['ministral', '14b', '3']);
    expect(wordsOf('Z.ai GLM-4.7')).toEqual(['z', 'ai', 'glm', '4.7']);
  });

  it('tells versions apart: "V2" is the v2 model, no version is the first', () => {
    expect(match('Anthropic Claude 3.5 Sonnet V2', sonnets)).toEqual({ kind: 'matched', modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0' });
    expect(match('Anthropic Claude 3.5 Sonnet', sonnets)).toEqual({ kind: 'matched', modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0' });
    // Only the v2 model in the catalog: the v1 quota names a model the catalog does not have.
    expect(match('Anthropic Claude 3.5 Sonnet', sonnets.slice(1))).toEqual({ kind: 'none' });
  });

  it('never lets "Sonnet 4" fit "Sonnet 4.5", and reads 4-5 in an id as 4.5', () => {
    expect(match('Anthropic Claude Sonnet 4 V1', sonnets)).toEqual({ kind: 'matched', modelId: 'anthropic.claude-sonnet-4-20250514-v1:0' });
    expect(match('Anthropic Claude Sonnet 4.5 V1', sonnets)).toEqual({ kind: 'matched', modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' });
    // A display name the catalog derived from the id alone still reads the same.
    expect(match('Anthropic Claude Opus 4.7 V1', [model('anthropic.claude-opus-4-7-v1:0', 'anthropic.claude-opus-4-7-v1:0', 'Anthropic'), ...sonnets])).toEqual({
      kind: 'matched',
      modelId: 'anthropic.claude-opus-4-7-v1:0',
    });
  });

  it('drops the provider in front, however it is spelled', () => {
    const mistral = [
      model('mistral.mistral-large-2402-v1:0', 'Mistral Large (24.02)', 'Mistral AI'),
      model('mistral.mistral-large-3-675b-instruct', 'Mistral Large 3', 'Mistral AI'),
      model('mistral.mistral-7b-instruct-v0:2', 'Mistral 7B Instruct', 'Mistral AI'),
      model('twelvelabs.pegasus-1-2-v1:0', 'Pegasus v1.2', 'TwelveLabs'),
      model('stability.stable-image-inpaint-v1:0', 'Stable Image Inpaint', 'Stability AI'),
    ];
    expect(match('Mistral AI Mistral Large', mistral)).toEqual({ kind: 'matched', modelId: 'mistral.mistral-large-2402-v1:0' });
    expect(match('Mistral Large 3', mistral)).toEqual({ kind: 'matched', modelId: 'mistral.mistral-large-3-675b-instruct' });
    expect(match('Mistral AI Mistral 7B Instruct', mistral)).toEqual({ kind: 'matched', modelId: 'mistral.mistral-7b-instruct-v0:2' });
    expect(match('Twelve Labs Pegasus', mistral)).toEqual({ kind: 'matched', modelId: 'twelvelabs.pegasus-1-2-v1:0' });
    expect(match('Stability.ai Stable Image Inpaint', mistral)).toEqual({ kind: 'matched', modelId: 'stability.stable-image-inpaint-v1:0' });
  });

  it('reads words in any order and lets tuning words and a lone parameter count be left out', () => {
    const models = [
      model('mistral.ministral-3-8b-instruct', 'Ministral 3 8B', 'Mistral AI'),
      model('mistral.ministral-3-3b-instruct', 'Ministral 3B', 'Mistral AI'),
      model('google.gemma-3-27b-it', 'Gemma 3 27B PT', 'Google'),
      model('cohere.command-r-plus-v1:0', 'Command R+', 'Cohere'),
      model('meta.llama4-scout-17b-instruct-v1:0', 'Llama 4 Scout 17B Instruct', 'Meta'),
    ];
    expect(match('Ministral 8B 3.0', models)).toEqual({ kind: 'matched', modelId: 'mistral.ministral-3-8b-instruct' });
    expect(match('Ministral 3B 3.0', models)).toEqual({ kind: 'matched', modelId: 'mistral.ministral-3-3b-instruct' });
    expect(match('Gemma 3 27B', models)).toEqual({ kind: 'matched', modelId: 'google.gemma-3-27b-it' });
    expect(match('Cohere Command R Plus', models)).toEqual({ kind: 'matched', modelId: 'cohere.command-r-plus-v1:0' });
    expect(match('Meta Llama 4 Scout V1', models)).toEqual({ kind: 'matched', modelId: 'meta.llama4-scout-17b-instruct-v1:0' });
    // A parameter count the quota names must be the model's.
    expect(match('Meta Llama 4 Scout 109B V1', models)).toEqual({ kind: 'none' });
  });

  it('reads a trailing V as part of the name when that is what fits ("DeepSeek V3.2", "Cohere Embed V4")', () => {
    const models = [
      model('deepseek.v3.1', 'V3.1', 'DeepSeek'),
      model('deepseek.v3.2', 'V3.2', 'DeepSeek'),
      model('cohere.embed-v4:0', 'Embed v4', 'Cohere'),
      model('cohere.embed-english-v3', 'Embed English', 'Cohere'),
    ];
    expect(match('DeepSeek V3.2', models)).toEqual({ kind: 'matched', modelId: 'deepseek.v3.2' });
    expect(match('Cohere Embed V4', models)).toEqual({ kind: 'matched', modelId: 'cohere.embed-v4:0' });
    expect(match('Cohere Embed English', models)).toEqual({ kind: 'matched', modelId: 'cohere.embed-english-v3' });
  });

  it('lists a name that fits two models as well as ambiguous, with both, and never picks one', () => {
    const twins = [model('moonshot.kimi-k2-thinking', 'Kimi K2 Thinking', 'Moonshot AI'), model('moonshotai.kimi-k2-thinking', 'Kimi K2 Thinking', 'Moonshot AI')];
    expect(match('Kimi K2 Thinking', twins)).toEqual({ kind: 'ambiguous', candidates: ['moonshot.kimi-k2-thinking', 'moonshotai.kimi-k2-thinking'] });
    const scouts = [model('meta.llama4-scout-17b-instruct-v1:0', 'Llama 4 Scout 17B Instruct', 'Meta'), model('meta.llama4-scout-109b-instruct-v1:0', 'Llama 4 Scout 109B Instruct', 'Meta')];
    expect(match('Meta Llama 4 Scout V1', scouts)).toEqual({ kind: 'ambiguous', candidates: scouts.map((entry) => entry.modelId) });
  });

  it('settles a tie by the route only when one of the tied models offers the quota’s route from the region', () => {
    const haikus = [model('anthropic.claude-haiku-4-5', 'Claude Haiku 4.5', 'Anthropic'), model('anthropic.claude-haiku-4-5-20251001-v1:0', 'Claude Haiku 4.5', 'Anthropic')];
    const fits = bestFits('Anthropic Claude Haiku 4.5', haikus.map(readModel));
    expect(fits).toHaveLength(2);
    expect(chooseModel(fits, (modelId) => modelId.endsWith('v1:0'))).toEqual({ kind: 'matched', modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(chooseModel(fits, () => false)).toEqual({ kind: 'no-route', candidates: fits });
    expect(chooseModel(fits, () => true)).toEqual({ kind: 'ambiguous', candidates: fits });
  });

  it('does not let a lesser fit carry a quota that the best fit cannot take from here', () => {
    const qwens = [model('qwen.qwen3-32b', 'Qwen3 32b', 'Qwen'), model('qwen.qwen3-32b-v1:0', 'Qwen3 32B (dense)', 'Qwen')];
    expect(match('Qwen3 32B V1', qwens)).toEqual({ kind: 'matched', modelId: 'qwen.qwen3-32b-v1:0' });
    expect(match('Qwen3 32B V1', qwens, (modelId) => modelId === 'qwen.qwen3-32b')).toEqual({ kind: 'no-route', candidates: ['qwen.qwen3-32b-v1:0'] });
  });

  it('lists a name that fits no model: a typo, or a version the catalog spells otherwise', () => {
    const models = [model('mistral.mixtral-8x7b-instruct-v0:1', 'Mixtral 8x7B Instruct', 'Mistral AI'), model('mistral.voxtral-mini-3b-2507', 'Voxtral Mini 3B 2507', 'Mistral AI')];
    expect(match('Mistral Mixtral 8x7b Instruct', models)).toEqual({ kind: 'matched', modelId: 'mistral.mixtral-8x7b-instruct-v0:1' });
    expect(match('Mistral AI Mixtral 8X7BB Instruct', models)).toEqual({ kind: 'none' });
    expect(match('Voxtral Mini 1.0', models)).toEqual({ kind: 'none' });
  });
});

describe('the real quota index of another tool, on a real catalog', () => {
  const KIND_OF_ENDPOINT: Record<string, QuotaRouteKind> = { base: 'on-demand', global: 'global-profile' };
  const UNIT_OF_TYPE: Record<string, QuotaUnit> = { rpm: 'requestsPerMinute', tpm: 'tokensPerMinute', tpd: 'tokensPerDay' };
  const readings = Object.values(catalog.models).map(readModel);
  const offersAnywhere = (kind: QuotaRouteKind) => (modelId: string) =>
    Object.keys(catalog.models[modelId]!.regions).some((region) => {
      const cell = cellRoute(catalog, modelId, region);
      return kind === 'on-demand' ? cell.onDemand : kind === 'geo-profile' ? cell.geoProfiles.length > 0 : cell.globalProfiles.length > 0;
    });

  /** Rows the index files under a model its own quota name does not name; the name wins. */
  const INDEX_MISFILED: Record<string, string | null> = {
    'anthropic.claude-3-5-haiku-20241022-v1:0 | Anthropic Claude Haiku 4.5': 'anthropic.claude-haiku-4-5-20251001-v1:0',
    'anthropic.claude-sonnet-4-20250514-v1:0 | Anthropic Claude Sonnet 4.6': 'anthropic.claude-sonnet-4-6',
    'anthropic.claude-3-5-sonnet-20240620-v1:0 | Anthropic Claude 3.5 Sonnet V2': 'anthropic.claude-3-5-sonnet-20241022-v2:0',
    'writer.palmyra-x4-v1:0 | Writer Palmyra Vision 7B': 'writer.palmyra-vision-7b',
    'writer.palmyra-x5-v1:0 | Writer Palmyra Vision 7B': 'writer.palmyra-vision-7b',
    // The index also files this quota under amazon.titan-embed-text-v1; the catalog calls g1-text-02 "Titan Text Embeddings v2".
    'amazon.titan-embed-g1-text-02 | Amazon Titan Text Embeddings': 'amazon.titan-embed-text-v1',
    // Titan Image Generator G1 (v1) is not in this catalog; titan-tg1-large is Titan Text Large.
    'amazon.titan-tg1-large | Amazon Titan Image Generator G1': null,
  };
  /** Names that fit two catalog models equally: listed as ambiguous, the index's model among the candidates. */
  const AMBIGUOUS = ['Kimi K2 Thinking', 'OpenAI GPT OSS 120B', 'OpenAI GPT OSS 20B', 'Amazon Titan Text Embeddings V2'];
  /** Names that fit no catalog model: a typo ("8X7BB"), a version the catalog spells otherwise, a first version the catalog names by its later one. */
  const UNMATCHED = ['Mistral AI Mixtral 8X7BB Instruct', 'Magistral Small 1.2', 'Voxtral Mini 1.0', 'Voxtral Small 1.0', 'NVIDIA Nemotron Nano 2', 'Twelve Labs Marengo'];

  const rows = fixture('quota-index.awslabs-bedrock-usage-analyzer.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [modelId = '', endpoint = '', quotaType = '', quotaCode = '', ...name] = line.split(',');
      return { modelId, endpoint, quotaType, quotaCode, quotaName: name.join(',') };
    });
  const checked = rows.filter((row) => Object.hasOwn(catalog.models, row.modelId) && row.quotaType !== 'concurrent');

  it('covers nearly all of the index: every row whose model is in the catalog, concurrent-request quotas aside', () => {
    expect(rows).toHaveLength(365);
    expect(checked.length).toBeGreaterThan(340);
    // Concurrent InvokeModel requests are not among the units (requests and tokens per minute, tokens per day).
    for (const row of rows.filter((entry) => entry.quotaType === 'concurrent')) expect(parseQuotaName(row.quotaName)).toBeNull();
  });

  it('gives each row the index’s model, route kind and unit, or says why not', () => {
    const outcomes = { agreed: 0, misfiled: 0, globalPerDayUnderGeo: 0, ambiguous: 0, unmatched: 0 };
    for (const row of checked) {
      const parsed = parseQuotaName(row.quotaName);
      expect(parsed, row.quotaName).not.toBeNull();
      const kind = KIND_OF_ENDPOINT[row.endpoint] ?? 'geo-profile';
      expect(parsed!.unit, row.quotaName).toBe(UNIT_OF_TYPE[row.quotaType]);
      const kinds = parsed!.appliesTo.map((application) => application.routeKind);
      const modelName = parsed!.modelName;
      if (!kinds.includes(kind)) {
        // The index gives the global profile's tokens per day to geo endpoints too; the name says "Global".
        expect(row.quotaName, `${row.modelId} ${row.endpoint}`).toMatch(/^Global cross-region model inference tokens per day/);
        expect(kinds).toEqual(['global-profile']);
        outcomes.globalPerDayUnderGeo++;
        continue;
      }
      const result = chooseModel(bestFits(modelName, readings), offersAnywhere(kind));
      const named = result.kind === 'matched' ? result.modelId : result.kind === 'no-route' && result.candidates.length === 1 ? result.candidates[0]! : null;
      const misfiled = `${row.modelId} | ${modelName}`;
      if (Object.hasOwn(INDEX_MISFILED, misfiled)) {
        expect(named, misfiled).toBe(INDEX_MISFILED[misfiled]);
        outcomes.misfiled++;
      } else if (AMBIGUOUS.includes(modelName)) {
        expect(result.kind, modelName).toBe('ambiguous');
        expect(result.kind === 'ambiguous' && result.candidates).toContain(row.modelId);
        outcomes.ambiguous++;
      } else if (UNMATCHED.includes(modelName)) {
        expect(result, modelName).toEqual({ kind: 'none' });
        outcomes.unmatched++;
      } else {
        expect(named, `${row.quotaName} (${row.endpoint})`).toBe(row.modelId);
        outcomes.agreed++;
      }
    }
    expect(outcomes).toEqual({ agreed: 307, misfiled: 14, globalPerDayUnderGeo: 10, ambiguous: 8, unmatched: 14 });
  });
});
