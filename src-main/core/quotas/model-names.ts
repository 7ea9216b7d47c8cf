import type { CatalogModel } from '../../../src-shared/catalog/document';

/**
 * Which catalog model a quota's display name means. Quota names and the catalog spell the same model differently
 * ("Anthropic Claude 3.5 Sonnet V2" / "Claude 3.5 Sonnet v2", "Cohere Command R Plus" / "Command R+", "Ministral
 * 8B 3.0" / "Ministral 3 8B", "Amazon Nova 2 Multimodal Embeddings V1" / amazon.nova-2-multimodal-embeddings-v1:0),
 * so both sides are reduced to the same words and compared, explicitly:
 *
 * - words: lower case, punctuation dropped, letters apart from digits ("Qwen3" = "qwen 3", "llama3-1" = "llama 3.1"),
 *   "+" as "plus", "embeddings" as "embed", "3.0" as "3"; a parameter count ("70B") and an active-parameter count
 *   ("A3B") are single words. Order does not matter (AWS writes "Ministral 8B 3.0" for "Ministral 3 8B").
 * - the provider's name in front ("Anthropic", "Mistral AI", "Twelve Labs", "Stability.ai") is dropped on both sides.
 * - a trailing "V2" (or "2.0") may be a version or part of the name ("DeepSeek V3.2", "Cohere Embed V4", "Ministral
 *   14B 3.0"): both readings are tried. A model's version comes from its display name, else from its id (`-v2:0`). A name without a version
 *   means the first: "Claude 3.5 Sonnet" is not "Claude 3.5 Sonnet v2".
 * - the model side is read from its display name and from its id (whose provider prefix, date stamp, version and
 *   context-window suffix are dropped, `3-5` read as 3.5); the better reading counts.
 * - some words may be left out, each costing a point: "Instruct"/"IT", a parameter count when the quota names
 *   none ("Meta Llama 4 Scout V1" for "Llama 4 Scout 17B Instruct"), an active-parameter count, and the catalog's
 *   parenthesised qualifiers ("Mistral Large (24.02)").
 *
 * The best score must be unique: a name that fits two models as well is ambiguous and listed with both, never guessed.
 */

export type ModelMatch =
  | { kind: 'matched'; modelId: string }
  | { kind: 'ambiguous'; candidates: string[] }
  /** Names catalog models, none of which offers the quota's route here: nothing to tie it to, nothing wrong. */
  | { kind: 'no-route'; candidates: string[] }
  | { kind: 'none' };

/** Words that say how a model was tuned, which quota names often leave out. */
const TUNING_WORDS = new Set(['instruct', 'it']);
const PARAMETER_COUNT = /^\d+(?:\.\d+)?b$/;
const ACTIVE_PARAMETERS = /^a\d+(?:\.\d+)?b$/;

export interface Reading {
  words: string[];
  /** Words the reading may match or leave out (the catalog's parenthesised qualifiers). */
  optional: string[];
  version: string | null;
}

/** A model as it can be read: from its display name (with and without a trailing version) and from its id. */
export interface ModelReadings {
  modelId: string;
  providerAliases: string[][];
  fromName: Reading[];
  fromId: Reading[];
  /** The version in the display name ("Claude 3.5 Sonnet v2"); a quota for another version never fits. */
  nameVersion: string | null;
  idVersion: string | null;
}

function normalizeNumber(number: string): string {
  return number.replace(/(\.0+)+$/, '');
}

/** The words of a name, as both sides are compared. */
export function wordsOf(text: string): string[] {
  const spaced = text
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/\bembeddings?\b/g, 'embed')
    // A dot between digits is a decimal point; any other punctuation separates words.
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9.]+/g, ' ');
  const words: string[] = [];
  for (const word of spaced.split(' ').filter(Boolean)) {
    if (PARAMETER_COUNT.test(word) || ACTIVE_PARAMETERS.test(word)) {
      words.push(word.replace(/^(a?)(\d+(?:\.\d+)?)b$/, (_, prefix: string, number: string) => `${prefix}${normalizeNumber(number)}b`));
      continue;
    }
    for (const part of word.match(/[a-z]+|\d+(?:\.\d+)*/g) ?? []) words.push(/^\d/.test(part) ? normalizeNumber(part) : part);
  }
  return words;
}

/** "… V2", "… v1.2", and "… 1.0" (AWS's "Amazon Rerank 1.0" for amazon.rerank-v1:0). */
const TRAILING_VERSION = /^(.+?)\s+(?:v(\d+(?:\.\d+)?)|(\d+)\.0)$/i;

/** The name's words with a trailing version read as a version, and as words; the parenthesised parts as optional. */
function readingsOfName(name: string): { readings: Reading[]; version: string | null } {
  const optional = [...name.matchAll(/\(([^)]*)\)/g)].flatMap((match) => wordsOf(match[1]!));
  const bare = name.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const literal: Reading = { words: wordsOf(bare), optional, version: null };
  const versioned = TRAILING_VERSION.exec(bare);
  if (!versioned) return { readings: [literal], version: null };
  const version = normalizeNumber(versioned[2] ?? versioned[3]!);
  return { readings: [{ words: wordsOf(versioned[1]!), optional, version }, literal], version };
}

/** `anthropic.claude-3-5-sonnet-20241022-v2:0` → words of "claude 3.5 sonnet", version 2. */
function readingOfId(modelId: string): Reading {
  let body = modelId.slice(modelId.indexOf('.') + 1);
  let version: string | null = null;
  const versioned = /^(.*?)-v(\d+)(?::\d+)?(?::[a-z0-9]+)?$/.exec(body) ?? /^(.*?)-(\d+):\d+(?::[a-z0-9]+)?$/.exec(body);
  if (versioned) {
    body = versioned[1]!;
    version = versioned[2]!;
  }
  body = body
    .replace(/-\d{8}(?=-|$)/g, '')
    // `claude-3-5`, `llama3-1`, `opus-4-1`: a number after a number is its decimal part.
    .replace(/(\d)-(\d+)(?=-|$)/g, '$1.$2');
  return { words: wordsOf(body), optional: [], version };
}

function aliasesOf(model: CatalogModel): string[][] {
  const provider = wordsOf(model.providerName);
  const idPrefix = model.modelId.includes('.') ? wordsOf(model.modelId.slice(0, model.modelId.indexOf('.'))) : [];
  const aliases = [provider, [provider.join('')], provider.slice(0, 1), idPrefix].filter((alias) => alias.length > 0 && alias.every(Boolean));
  // Longest first, so "mistral ai" goes before "mistral".
  return aliases.sort((a, b) => b.length - a.length);
}

/** The words without the provider's name in front, repeatedly ("Mistral AI Mistral Large" → "large"). */
function withoutProvider(words: string[], aliases: string[][]): string[] {
  let rest = words;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const alias of aliases) {
      const joined = alias.join('');
      const spelled = alias.length === 1 ? rest.findIndex((_, index) => rest.slice(0, index + 1).join('') === joined) + 1 : 0;
      const length = alias.every((word, index) => rest[index] === word) ? alias.length : spelled;
      // Never strip a name down to nothing: "DeepSeek" may be all that identifies a model.
      if (length > 0 && length < rest.length) {
        rest = rest.slice(length);
        stripped = true;
        break;
      }
    }
  }
  return rest;
}

export function readModel(model: CatalogModel): ModelReadings {
  const { readings, version } = readingsOfName(model.modelName);
  const fromId = readingOfId(model.modelId);
  return { modelId: model.modelId, providerAliases: aliasesOf(model), fromName: readings, fromId: [fromId], nameVersion: version, idVersion: fromId.version };
}

const major = (version: string) => Number(version.split('.')[0]);
const sameVersion = (a: string, b: string) => a === b || (!a.includes('.') || !b.includes('.') ? major(a) === major(b) : false);

/**
 * How well the versions agree, or null when they contradict: 3 the display names agree, 2 the quota's version is
 * the id's, 1 nothing to compare, 0 an unversioned quota name for a model whose id is a later version.
 */
function versionScore(quotaVersion: string | null, model: ModelReadings, reading: Reading): number | null {
  const modelVersion = reading.version ?? (model.nameVersion === null ? model.idVersion : null);
  const fromName = reading.version !== null;
  if (quotaVersion !== null) {
    if (modelVersion === null) return model.nameVersion === null ? 1 : null;
    return sameVersion(quotaVersion, modelVersion) ? (fromName ? 3 : 2) : null;
  }
  // No version in the quota's name means the first one.
  if (model.nameVersion !== null && major(model.nameVersion) >= 2) return null;
  return modelVersion !== null && major(modelVersion) >= 2 ? 0 : 1;
}

/** Words left out on either side, or null when the words differ in anything that names another model. */
function omissions(quotaWords: string[], modelWords: string[], optional: string[]): number | null {
  const left = [...quotaWords];
  const quotaNamesSize = quotaWords.some((word) => PARAMETER_COUNT.test(word));
  let missing = 0;
  for (const word of modelWords) {
    const at = left.indexOf(word);
    if (at >= 0) left.splice(at, 1);
    else if (TUNING_WORDS.has(word) || ACTIVE_PARAMETERS.test(word) || (PARAMETER_COUNT.test(word) && !quotaNamesSize)) missing++;
    else return null;
  }
  const spare = [...optional];
  for (const word of left) {
    const at = spare.indexOf(word);
    if (at >= 0) spare.splice(at, 1);
    else if (TUNING_WORDS.has(word) || ACTIVE_PARAMETERS.test(word)) missing++;
    else return null;
  }
  return missing + spare.length;
}

/** How well a quota's model name fits a model: higher is better, null when it does not. */
export function fitScore(quotaModelName: string | Reading[], model: ModelReadings): number | null {
  const quota = typeof quotaModelName === 'string' ? readingsOfName(quotaModelName).readings : quotaModelName;
  let best: number | null = null;
  for (const quotaReading of quota) {
    const quotaWords = withoutProvider(quotaReading.words, model.providerAliases);
    for (const reading of [...model.fromName, ...model.fromId]) {
      const versions = versionScore(quotaReading.version, model, reading);
      if (versions === null) continue;
      const left = omissions(quotaWords, withoutProvider(reading.words, model.providerAliases), reading.optional);
      if (left === null) continue;
      const score = versions * 100 - left;
      if (best === null || score > best) best = score;
    }
  }
  return best;
}

/** The models a quota's display name fits best (all of them when they tie); empty when it fits none. */
export function bestFits(quotaModelName: string, models: readonly ModelReadings[]): string[] {
  const quota = readingsOfName(quotaModelName).readings;
  let best = -Infinity;
  let fits: string[] = [];
  for (const model of models) {
    const score = fitScore(quota, model);
    if (score === null || score < best) continue;
    if (score > best) [best, fits] = [score, []];
    fits.push(model.modelId);
  }
  return fits;
}

/**
 * The model among a name's best fits that carries the quota: only those with the quota's route from the region
 * asked about can (`offersRoute`). One is a match; more are ambiguous.
 */
export function chooseModel(fits: readonly string[], offersRoute: (modelId: string) => boolean = () => true): ModelMatch {
  if (fits.length === 0) return { kind: 'none' };
  const routed = fits.filter(offersRoute);
  if (routed.length === 1) return { kind: 'matched', modelId: routed[0]! };
  if (routed.length === 0) return { kind: 'no-route', candidates: [...fits] };
  return { kind: 'ambiguous', candidates: routed };
}

export function matchModelName(quotaModelName: string, models: readonly ModelReadings[], offersRoute?: (modelId: string) => boolean): ModelMatch {
  return chooseModel(bestFits(quotaModelName, models), offersRoute);
}
