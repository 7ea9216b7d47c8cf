/**
 * Turns AWS credential and authentication failures into errors that name the fix. The original message is
 * kept at the end so nothing is lost.
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

/** Service-side answers that mean the credentials, not the request, are the problem. */
export function explainAuthFailure(code: string, message: string, profile: string | null): string | null {
  switch (code) {
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return `The AWS session token has expired. Refresh it (\`aws sso login ${profileHint(profile)}\`, or new temporary keys) and refresh the catalog. (${message})`;
    case 'UnrecognizedClientException':
      return `This region did not accept the credentials: it is not enabled for the account (opt-in regions must be enabled in the AWS console under Account > AWS Regions), or the access key is invalid. (${message})`;
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return `The request signature was rejected: check the secret access key and the machine's clock. (${message})`;
    default:
      return null;
  }
}
