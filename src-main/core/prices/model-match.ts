import type { CatalogModel } from '../../../src-shared/catalog/document';

/**
 * Ties a Price List product to catalog models. The price list names a model by display name only (`model` in
 * AmazonBedrock and AmazonBedrockService, `servicename` "<Model> (Amazon Bedrock Edition)" in the Marketplace's
 * AmazonBedrockFoundationModels), and its usage types carry a second spelling ("USE1-Llama3-2-3B-input-tokens").
 * Neither is a model id, so matching is explicit and never guessed:
 *
 * - Names compare by their letters and digits only, case aside, with a version's ".0" dropped: "Nova 2.0 Lite",
 *   "Nova2.0Lite" and "Nova 2 Lite" are one name; "Claude Sonnet 4" and "Claude Sonnet 4.5" stay two.
 * - A catalog model answers to its display name, to it with its provider's name in front or taken off ("V3.1" of
 *   DeepSeek answers "DeepSeek V3.1"), and, one step later, to its id without provider, date and version
 *   ("meta.llama3-2-3b-instruct-v1:0" → "llama3-2-3b-instruct"); and a last step later to those names without a
 *   trailing Instruct, IT or Chat, the instruction-tuned release's suffix that price lists often drop.
 * - The first step that finds anything decides; more than one model there is ambiguous, and the product is listed
 *   with its candidates.
 * - Catalog entries that are one model under several ids (a context-length variant "…-v1:0:24k" of a listed id; the
 *   same provider and display name under ids that differ only by date, version or provider prefix, an Instruct
 *   suffix aside) count as one model, and the price applies to each of its ids.
 */

export type MatchableModel = Pick<CatalogModel, 'modelId' | 'modelName' | 'providerName'>;

export type ModelMatch = { kind: 'matched'; modelIds: string[] } | { kind: 'ambiguous'; candidates: string[] } | { kind: 'none' };

/** Letters and digits only, lower case, with a version's trailing ".0" dropped ("2.0" → "2", "3.0" → "3"). */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/(\d+)\.0(?![\d])/g, '$1')
    .replace(/[^a-z0-9]/g, '');
}

/** The suffix of an instruction-tuned release ("Llama 3.2 3B Instruct", "Gemma 3 12B IT"), which price lists often drop. */
const TUNED_SUFFIX = /[\s_-]+(instruct|it|chat)$/i;

/**
 * The id without its provider prefix, date and version: "anthropic.claude-3-haiku-20240307-v1:0" → "claude-3-haiku",
 * "openai.gpt-oss-120b-1:0" → "gpt-oss-120b", "moonshotai.kimi-k2-thinking" → "kimi-k2-thinking".
 */
export function idStem(modelId: string): string {
  return modelId
    .replace(/^[^.]*\./, '')
    .replace(/-v?\d+(?::[0-9a-z]+)+$/i, '')
    .replace(/(?::[0-9a-z]+)+$/i, '')
    .replace(/-v\d+$/i, '')
    .replace(/-\d{8}$/, '');
}

/** A provider's name as display names spell it in front: "Mistral AI" is also just "Mistral". */
function providerSpellings(provider: string): string[] {
  const short = provider.replace(/\s+AI$/i, '');
  return short === provider ? [provider] : [provider, short];
}

function displayNames(model: MatchableModel): string[] {
  const names = [model.modelName];
  for (const provider of providerSpellings(model.providerName)) {
    names.push(`${provider} ${model.modelName}`);
    const withoutProvider = model.modelName.replace(new RegExp(`^${provider.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s-]+`, 'i'), '');
    if (withoutProvider !== model.modelName) names.push(withoutProvider);
  }
  return names;
}

interface ModelGroup {
  modelIds: string[];
  /** The keys of each matching step, in order. */
  steps: [Set<string>, Set<string>, Set<string>];
}

/** Ids that extend a listed id with ":…" (context-length variants such as "amazon.nova-lite-v1:0:24k") are that model. */
function baseIds(models: readonly MatchableModel[]): MatchableModel[] {
  const ids = new Set(models.map((model) => model.modelId));
  return models.filter((model) => {
    const parts = model.modelId.split(':');
    return !parts.some((_, index) => index > 0 && ids.has(parts.slice(0, index).join(':')));
  });
}

/**
 * One model under several ids: the same provider, the same display name and ids that are equal once provider
 * prefix, date and version go (an Instruct suffix aside on both, as Bedrock lists a model's newer id with it:
 * "Qwen3 Coder 480b A35b" qwen.qwen3-coder-480b-a35b-v1:0 and "… Instruct" qwen.qwen3-coder-480b-a35b-instruct).
 */
function sameModel(a: MatchableModel, b: MatchableModel): boolean {
  const untuned = (text: string) => nameKey(text.trim().replace(TUNED_SUFFIX, ''));
  return a.providerName === b.providerName && untuned(a.modelName) === untuned(b.modelName) && untuned(idStem(a.modelId)) === untuned(idStem(b.modelId));
}

export class CatalogModelMatcher {
  private readonly groups: ModelGroup[] = [];

  constructor(models: readonly MatchableModel[]) {
    const grouped: MatchableModel[][] = [];
    for (const model of baseIds(models)) {
      const group = grouped.find((members) => sameModel(members[0]!, model));
      if (group) group.push(model);
      else grouped.push([model]);
    }
    for (const members of grouped) {
      const names = members.flatMap(displayNames);
      const stems = members.map((model) => idStem(model.modelId));
      const untuned = [...names, ...stems].filter((name) => TUNED_SUFFIX.test(name.trim())).map((name) => name.trim().replace(TUNED_SUFFIX, ''));
      this.groups.push({
        modelIds: members.map((model) => model.modelId).sort(),
        steps: [new Set(names.map(nameKey)), new Set(stems.map(nameKey)), new Set(untuned.map(nameKey))],
      });
    }
  }

  /** `names`: the product's spellings of its model (display name, usage-type token); empty ones are ignored. */
  match(names: readonly string[]): ModelMatch {
    const keys = names.map(nameKey).filter((key) => key.length > 0);
    for (const step of [0, 1, 2] as const) {
      const found = this.groups.filter((group) => keys.some((key) => group.steps[step].has(key)));
      if (found.length === 1) return { kind: 'matched', modelIds: found[0]!.modelIds };
      if (found.length > 1) return { kind: 'ambiguous', candidates: found.flatMap((group) => group.modelIds).sort() };
    }
    return { kind: 'none' };
  }
}
