import type { WhoAmI } from '../../../src-shared/contract/identity';
import type { ActionContext } from '../lazy-action';
import { callMethod } from '../core-calls';
import { openCommandCore } from '../command-core';

/** What `whoami --json` prints: exactly these fields; `expiresAt` for short-term keys only. The key itself never. */
export function whoamiJson(who: WhoAmI) {
  const { account, arn, credentialSource, profile, apiKey } = who;
  return {
    account,
    arn,
    credentialSource,
    profile,
    apiKey: apiKey ? { kind: apiKey.kind, region: apiKey.region, ...(apiKey.expiresAt ? { expiresAt: apiKey.expiresAt } : {}) } : null,
  };
}

function describeKey(apiKey: NonNullable<WhoAmI['apiKey']>): string {
  if (apiKey.kind === 'long-term') return 'long-term (every region)';
  const expired = apiKey.expiresAt && Date.parse(apiKey.expiresAt) <= Date.now() ? ', EXPIRED' : '';
  return `short-term, works only in ${apiKey.region}, expires ${apiKey.expiresAt}${expired}`;
}

/**
 * `bedrock-atlas whoami`: STS GetCallerIdentity for the credentials in force, and the Bedrock API key that Bedrock
 * calls use instead. A credential failure exits 1 with its named fix (expired SSO, expired session token, none).
 */
export async function whoamiAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  try {
    const who = await callMethod(core, 'whoAmI', undefined);
    if (opts.json) io.stdout(JSON.stringify(whoamiJson(who), null, 2));
    else {
      io.stdout(`account      ${who.account ?? '(unknown)'}`);
      io.stdout(`arn          ${who.arn ?? '(unknown)'}`);
      io.stdout(`credentials  ${who.credentialSource}${who.profile ? ` (profile ${who.profile})` : ''}`);
      io.stdout(`api key      ${who.apiKey ? `${describeKey(who.apiKey)}: Bedrock calls use it` : 'none'}`);
    }
    if (who.note) io.stderr(who.note);
  } finally {
    await core.close();
  }
}
