/**
 * Removes credentials from text that is about to leave the core's AWS layer (an error message bound for the cache
 * file, a log line, an API answer, the CLI). AWS's own signature-mismatch errors quote the canonical request, and a
 * proxy may echo the whole signed request, so upstream text can hold the access key id, the session token, the
 * signature and the Authorization header. Known values (what the credential provider handed out) are removed
 * wherever they appear; the patterns catch what is recognisable by its shape.
 */

const REDACTED = '[redacted]';

const PATTERNS: readonly [RegExp, string][] = [
  // A whole Authorization header value: SigV4 (`AWS4-HMAC-SHA256 Credential=…, Signature=…`) or a bearer token.
  [/(authorization["']?\s*[:=]\s*["']?)(?:AWS4-HMAC-SHA256|Bearer|Basic)\s[^"'\r\n]*/gi, `$1${REDACTED}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, `Bearer ${REDACTED}`],
  // Presigned or echoed query parameters and headers.
  [/(X-Amz-Security-Token["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(X-Amz-Signature["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(X-Amz-Credential["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(\bSignature=)[0-9a-f]{16,}/gi, `$1${REDACTED}`],
  [/(\bCredential=)[A-Z0-9]{12,}/g, `$1${REDACTED}`],
  // Bedrock API keys: short-term keys are `bedrock-api-key-` and a base64 presigned URL, long-term ones `ABSK…`.
  [/bedrock-api-key-[A-Za-z0-9+/=_-]+/g, REDACTED],
  [/\bABSK[A-Za-z0-9+/=]{16,}/g, REDACTED],
  // Access key ids by their documented prefixes (long-term AKIA, temporary ASIA).
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, REDACTED],
  // The SSO portal's access-token header (GetRoleCredentials), echoed by a proxy or in a log of the request.
  [/(x-amz-sso_bearer_token["']?\s*[:=]\s*["']?)[^"'\s,;&]+/gi, `$1${REDACTED}`],
  // Token fields in echoed JSON (SSO access tokens, session tokens, secret keys).
  [/("(?:accessToken|sessionToken|secretAccessKey|SessionToken|SecretAccessKey|refreshToken|clientSecret)"\s*:\s*")[^"]*/g, `$1${REDACTED}`],
];

export function redactSecrets(text: string, known: readonly string[] = []): string {
  let redacted = text;
  for (const secret of known) {
    if (secret.length >= 8) redacted = redacted.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
