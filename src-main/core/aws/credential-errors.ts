/**
 * Failures of the credential chain itself (no credentials, an expired SSO session, an unknown profile), turned into
 * errors that name the fix, the original message kept at the end. The error model (`errors.ts`) classes them as
 * `credentials`; answers from a service that refused the credentials are explained there.
 */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function profileHint(profile: string | null): string {
  return profile ? `--profile ${profile}` : '--profile NAME';
}

export function explainCredentialsError(error: unknown, profile: string | null): Error {
  const original = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (/sso/i.test(original) && /expired|refresh|token/i.test(original)) {
    return new CredentialsError(
      `Your AWS SSO session has expired. Run \`aws sso login ${profileHint(profile)}\` and try again. (${original})`,
      'SSOTokenExpired',
    );
  }
  if (profile && /profile/i.test(original) && /(not found|could not|unable|does not exist)/i.test(original)) {
    return new CredentialsError(
      `AWS profile "${profile}" was not found. Check ~/.aws/config and ~/.aws/credentials, or run \`aws configure --profile ${profile}\`. (${original})`,
      'ProfileNotFound',
    );
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(original)) {
    return new CredentialsError(
      `No AWS credentials found. Set AWS_PROFILE or pass ${profileHint(profile)} for a profile in ~/.aws/config, run \`aws sso login ${profileHint(profile)}\` for SSO, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. (${original})`,
      'CredentialsMissing',
    );
  }
  return error instanceof Error ? error : new Error(original);
}
