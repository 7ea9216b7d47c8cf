import { z } from 'zod';
import table from '../../bundled/token_burndown.json';
import type { BurndownInfo } from '../contract/capacity';

/**
 * The output-token burndown rate of a model: how many quota tokens one output token costs. The rates come from a
 * dated table with its source (bundled/token_burndown.json), never from code.
 *
 * AWS, "How tokens are counted in Amazon Bedrock"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html):
 *   "Burndown rate: The rate at which input and output tokens are converted into token quota usage for the
 *    throttling system."
 *   "The burndown rate for the following models is 5x for output tokens (1 output token consumes 5 tokens from your
 *    quotas): Anthropic Claude Opus 4, Anthropic Claude Sonnet 4, …" and every other model burns 1:1.
 * The table holds the models AWS lists, and, marked `third-party`, those a public registry records at 5x
 * (Kilo-Org/aws-bedrock-o11y, 2026-02-19): AWS calls its page the authoritative list, and it grows.
 */

const BurndownEntrySchema = z.object({
  /** A model id family: `anthropic.claude-sonnet-4-5`. */
  family: z.string().regex(/^[a-z0-9-]+\.[a-z0-9.-]+$/),
  name: z.string(),
  rate: z.number().int().positive(),
  /** aws: listed by AWS; third-party: recorded by a public registry, not (yet) seen on AWS's page. */
  from: z.enum(['aws', 'third-party']),
  reference: z.string(),
});

export const BurndownTableSchema = z.object({
  asOf: z.iso.date(),
  source: z.url(),
  sourceTitle: z.string(),
  defaultRate: z.number().int().positive(),
  matchRule: z.string(),
  entries: z.array(BurndownEntrySchema).min(1),
});
export type BurndownTable = z.infer<typeof BurndownTableSchema>;
export type BurndownEntry = z.infer<typeof BurndownEntrySchema>;

/** The scope prefixes of system inference profile ids (`us.`, `global.`…), as the catalog's profiles carry them. */
const PROFILE_PREFIX = /^(?:us|eu|apac|jp|au|ca|in|us-gov|global)\.(?=[a-z0-9-]+\.)/;

/**
 * What may follow a family in a model id: a release date, a version, then variant suffixes (`:0`, `:200k`). So the
 * family `anthropic.claude-opus-4` takes `anthropic.claude-opus-4-20250514-v1:0` but not `…-opus-4-1-20250805-v1:0`:
 * a digit after the family's last dash starts another model.
 */
const RELEASE_SUFFIX = /^(?:-\d{8})?(?:-v\d+)?(?::[0-9a-z]+)*$/;

/** The model id behind a system profile id (`us.anthropic.claude-sonnet-4-5-…` → `anthropic.claude-sonnet-4-5-…`). */
export function withoutProfilePrefix(id: string): string {
  return id.replace(PROFILE_PREFIX, '');
}

export function burndownEntryFor(modelOrProfileId: string, burndown: BurndownTable): BurndownEntry | null {
  const modelId = withoutProfilePrefix(modelOrProfileId.trim().toLowerCase());
  // At most one family fits under this rule (a longer family's extra part, `-5` of `sonnet-4-5`, is no suffix).
  return burndown.entries.find((entry) => modelId.startsWith(entry.family) && RELEASE_SUFFIX.test(modelId.slice(entry.family.length))) ?? null;
}

/** The rate for a model or profile id, with where it came from: the matching entry, or the table's default. */
export function burndownFor(modelOrProfileId: string, burndown: BurndownTable): BurndownInfo {
  const entry = burndownEntryFor(modelOrProfileId, burndown);
  return {
    rate: entry?.rate ?? burndown.defaultRate,
    source: burndown.source,
    asOf: burndown.asOf,
    matchedEntry: entry ? `${entry.family} (${entry.name}, ${entry.from === 'aws' ? 'listed by AWS' : `third-party: ${entry.reference}`})` : null,
  };
}

/** The table shipped with the app, validated: a malformed file is a build mistake, and the error names the field. */
export function bundledBurndownTable(): BurndownTable {
  const parsed = BurndownTableSchema.safeParse(table);
  if (!parsed.success) {
    throw new Error(`bundled/token_burndown.json is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
