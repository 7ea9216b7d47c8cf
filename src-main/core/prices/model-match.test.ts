import { describe, expect, it } from 'vitest';
import { CatalogModelMatcher, idStem, nameKey, type MatchableModel } from './model-match';
import { productModelName } from './price-document';
import { allSamplePriceDocuments, bundledCatalogDocument } from './sample-documents';
import { readUsageType } from './usage-type';

const realCatalog = new CatalogModelMatcher(Object.values(bundledCatalogDocument().models));
const model = (modelId: string, modelName: string, providerName = 'Acme'): MatchableModel => ({ modelId, modelName, providerName });

describe('tying real price products to the real catalog', () => {
  /** Every token-price product of the samples, by the names it carries: its display name and its usage type's token. */
  const matches = Object.fromEntries(
    allSamplePriceDocuments().flatMap((document) => {
      const usage = readUsageType(document.product.attributes.usagetype ?? '');
      if (usage.kind !== 'token-price') return [];
      const names = [productModelName(document) ?? '', usage.modelToken ?? ''];
      const match = realCatalog.match(names);
      return [[names.filter(Boolean).join(' / '), match.kind === 'matched' ? match.modelIds.join(' + ') : match.kind]];
    }),
  );

  it('matches each display name (and usage-type spelling) to its catalog model, or to none', () => {
    expect(matches).toEqual({
      'Nova Lite / NovaLite': 'amazon.nova-lite-v1:0',
      'Ministral 14B 3.0 / Ministral-3-14b-Instruct': 'mistral.ministral-3-14b-instruct',
      'Nova 2.0 Omni / Nova2.0Omni': 'none',
      'Nova 2.0 Lite / Nova2.0Lite': 'amazon.nova-2-lite-v1:0',
      'gpt-oss-120b / gpt-oss-120b': 'openai.gpt-oss-120b + openai.gpt-oss-120b-1:0',
      'NVIDIA Nemotron Nano 2 VL / Nemotron-Nano-12B-V2-VL-BF16': 'nvidia.nemotron-nano-12b-v2',
      'gpt-oss-20b / gpt-oss-20b': 'openai.gpt-oss-20b + openai.gpt-oss-20b-1:0',
      'Qwen3 Coder 30B A3B / Qwen3Coder-30B-A3B': 'qwen.qwen3-coder-30b-a3b-instruct + qwen.qwen3-coder-30b-a3b-v1:0',
      'Nova 2.0 Pro / Nova2.0Pro': 'none',
      'Titan Text G1 Express / TitanTextG1-Express': 'amazon.titan-text-express-v1',
      'Nova Micro / NovaMicro': 'amazon.nova-micro-v1:0',
      'Llama 3.2 3B / Llama3-2-3B': 'meta.llama3-2-3b-instruct-v1:0',
      'Llama 3.2 11B / Llama3-2-11B': 'meta.llama3-2-11b-instruct-v1:0',
      'Mixtral 8x7B / Mixtral8x7B': 'mistral.mixtral-8x7b-instruct-v0:1',
      'DeepSeek V3.1 / DeepSeek-V3.1': 'deepseek.v3.1',
      'Claude 3 Haiku / Claude3Haiku': 'anthropic.claude-3-haiku-20240307-v1:0',
      'Nemotron Nano 3 30B / Nemotron-Nano-3-30B': 'nvidia.nemotron-nano-3-30b',
      'Nova Pro / NovaPro': 'amazon.nova-pro-v1:0',
      'GPT OSS Safeguard 20B / GPT-OSS-Safeguard-20B': 'openai.gpt-oss-safeguard-20b',
      'Ministral 3B 3.0 / Ministral-3-3b-Instruct': 'mistral.ministral-3-3b-instruct',
      'Claude Sonnet 4 / Claude4Sonnet': 'anthropic.claude-sonnet-4-20250514-v1:0',
      'Claude Haiku 4.5': 'anthropic.claude-haiku-4-5 + anthropic.claude-haiku-4-5-20251001-v1:0',
      'Claude Sonnet 4.5': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'Claude 3 Haiku': 'anthropic.claude-3-haiku-20240307-v1:0',
      'Claude Sonnet 4': 'anthropic.claude-sonnet-4-20250514-v1:0',
      'Claude 3.5 Sonnet': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'Claude 3 Sonnet': 'anthropic.claude-3-sonnet-20240229-v1:0',
      'Cohere Embed Model 3 - Multilingual': 'none',
    });
  });

  it('never ties a version to its neighbour: "Claude Sonnet 4" is not Sonnet 4.5, "Claude 3.5 Sonnet" is not v2', () => {
    expect(realCatalog.match(['Claude Sonnet 4'])).toEqual({ kind: 'matched', modelIds: ['anthropic.claude-sonnet-4-20250514-v1:0'] });
    expect(realCatalog.match(['Claude 3.5 Sonnet'])).toEqual({ kind: 'matched', modelIds: ['anthropic.claude-3-5-sonnet-20240620-v1:0'] });
    expect(realCatalog.match(['Claude 3.5 Sonnet v2'])).toEqual({ kind: 'matched', modelIds: ['anthropic.claude-3-5-sonnet-20241022-v2:0'] });
  });

  it('ties a name to no model rather than to one of its relatives ("Mistral Large" is none of Mistral Large (24.02), 2407 or 3)', () => {
    expect(realCatalog.match(['Mistral Large'])).toEqual({ kind: 'none' });
    // "Qwen3 32B" is the display name of qwen.qwen3-32b; qwen.qwen3-32b-v1:0 is "Qwen3 32B (dense)".
    expect(realCatalog.match(['Qwen3 32B'])).toEqual({ kind: 'matched', modelIds: ['qwen.qwen3-32b'] });
    // The newer id with Instruct and the older one without are one model, and both get its price.
    expect(realCatalog.match(['Qwen3 Coder 480B A35B'])).toEqual({ kind: 'matched', modelIds: ['qwen.qwen3-coder-480b-a35b-instruct', 'qwen.qwen3-coder-480b-a35b-v1:0'] });
  });
});

describe('the matching rules, on other data', () => {
  it('compares names by letters and digits, a version’s ".0" aside', () => {
    expect(nameKey('Nova 2.0 Lite')).toBe(nameKey('Nova2.0Lite'));
    expect(nameKey('Nova 2.0 Lite')).toBe(nameKey('nova-2-lite'));
    expect(nameKey('Model 4')).not.toBe(nameKey('Model 4.5'));
    expect(nameKey('Model 10.0')).toBe(nameKey('Model 10'));
  });

  it('strips provider, date and version from ids', () => {
    expect(idStem('acme.rocket-large-20250101-v2:0')).toBe('rocket-large');
    expect(idStem('acme.rocket-1:0')).toBe('rocket');
    expect(idStem('acme.rocket-9-5')).toBe('rocket-9-5');
    expect(idStem('acme.rocket-v3:0:512')).toBe('rocket');
  });

  it('lists a name that fits two different models as ambiguous, with both, instead of choosing', () => {
    const matcher = new CatalogModelMatcher([model('acme.falcon-v1:0', 'Falcon', 'Acme'), model('birdco.falcon-v1:0', 'Falcon', 'Birdco')]);
    expect(matcher.match(['Falcon'])).toEqual({ kind: 'ambiguous', candidates: ['acme.falcon-v1:0', 'birdco.falcon-v1:0'] });
    // Same provider and name, but ids that are not one model once date and version go: still two models.
    const twins = new CatalogModelMatcher([model('acme.widget-v1:0', 'Widget'), model('acme.widget-pro-v1:0', 'Widget')]);
    expect(twins.match(['Widget'])).toEqual({ kind: 'ambiguous', candidates: ['acme.widget-pro-v1:0', 'acme.widget-v1:0'] });
  });

  it('treats one model under several ids as one: context variants, and ids that differ only by date, version or provider prefix', () => {
    const matcher = new CatalogModelMatcher([
      model('acme.rocket-v1:0', 'Rocket'),
      model('acme.rocket-v1:0:24k', 'Rocket'),
      model('acme.comet-9', 'Comet 9'),
      model('acme.comet-9-20260101-v1:0', 'Comet 9'),
      model('acmeai.orbit-2', 'Orbit 2'),
      model('acme.orbit-2', 'Orbit 2'),
    ]);
    expect(matcher.match(['Rocket'])).toEqual({ kind: 'matched', modelIds: ['acme.rocket-v1:0'] });
    expect(matcher.match(['Comet 9'])).toEqual({ kind: 'matched', modelIds: ['acme.comet-9', 'acme.comet-9-20260101-v1:0'] });
    expect(matcher.match(['Orbit 2'])).toEqual({ kind: 'matched', modelIds: ['acme.orbit-2', 'acmeai.orbit-2'] });
  });

  it('finds a model by its provider in front, its id, or without an instruction-tuned suffix, and only when nothing matches closer', () => {
    const matcher = new CatalogModelMatcher([
      model('zeta.r7-v1:0', 'R7', 'Zeta'),
      model('zeta.spark-2-8b-instruct-v1:0', 'Spark 2 8B Instruct', 'Zeta'),
      model('zeta.glow-3-v1:0', 'Zeta Glow 3', 'Zeta'),
      model('zeta.nimbus-7b', 'Nimbus 7B', 'Zeta'),
      model('zeta.cirrus-7b-instruct', 'Nimbus 7B Instruct', 'Zeta'),
    ]);
    expect(matcher.match(['Zeta R7'])).toEqual({ kind: 'matched', modelIds: ['zeta.r7-v1:0'] });
    expect(matcher.match(['Glow 3'])).toEqual({ kind: 'matched', modelIds: ['zeta.glow-3-v1:0'] });
    expect(matcher.match(['Spark 2 8B'])).toEqual({ kind: 'matched', modelIds: ['zeta.spark-2-8b-instruct-v1:0'] });
    expect(matcher.match(['Unrelated', 'Spark2-8B-Instruct'])).toEqual({ kind: 'matched', modelIds: ['zeta.spark-2-8b-instruct-v1:0'] });
    // The exact name wins over the one without its suffix.
    expect(matcher.match(['Nimbus 7B'])).toEqual({ kind: 'matched', modelIds: ['zeta.nimbus-7b'] });
    expect(matcher.match(['Spark 2'])).toEqual({ kind: 'none' });
    expect(matcher.match([''])).toEqual({ kind: 'none' });
  });
});
