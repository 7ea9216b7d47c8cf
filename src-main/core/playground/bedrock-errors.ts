import type { ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import { explainAuthFailure } from '../aws/credential-errors';

/** A runtime failure, with the fix named and the text that arrived before it kept. */
export class BedrockCallError extends Error {
  constructor(
    override readonly name: string,
    readonly code: string,
    message: string,
    /** Text streamed before the failure (a mid-stream throttle or a dropped connection). */
    readonly partialText: string = '',
  ) {
    super(message);
  }
}

export function explainBedrockError(error: unknown, route: ResolvedRoute, profile: string | null, partialText = ''): Error {
  if (!(error instanceof Error)) return new BedrockCallError('BedrockError', 'UNKNOWN', String(error), partialText);
  const name = error.name;
  const where = `${route.invokeId} in ${route.callRegion}`;
  const auth = explainAuthFailure(name, error.message, profile);
  if (auth) return new BedrockCallError(name, name, auth, partialText);
  if ((error as { code?: string }).code === 'CredentialsMissing' || name === 'CredentialsError') return error;
  const midStream = partialText ? ' (the text received before it is kept)' : '';
  switch (name) {
    case 'AccessDeniedException':
      return new BedrockCallError(
        name,
        'ACCESS_DENIED',
        `Your account has no access to ${route.modelId} in ${route.callRegion}. Request it in the Bedrock console: https://console.aws.amazon.com/bedrock/home?region=${route.callRegion}#/modelaccess (${error.message})`,
        partialText,
      );
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return new BedrockCallError(name, 'THROTTLED', `Bedrock throttled ${where}${midStream}: wait and retry, or use a cross-region profile to spread the load. (${error.message})`, partialText);
    case 'ModelStreamErrorException':
      return new BedrockCallError(name, 'MODEL_STREAM_ERROR', `The model failed mid-stream for ${where}${midStream}. (${error.message})`, partialText);
    case 'ValidationException':
      return new BedrockCallError(name, 'VALIDATION', `Bedrock refused the request for ${where}: ${error.message}`, partialText);
    default: {
      const network = /ECONNRESET|socket hang up|ECONNREFUSED|ETIMEDOUT|EPIPE|aborted|terminated/i.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);
      if (network) return new BedrockCallError('ConnectionLost', 'CONNECTION_LOST', `The connection to ${route.callRegion} dropped${midStream}: ${error.message}`, partialText);
      return new BedrockCallError(name || 'BedrockError', name || 'UNKNOWN', `${where} failed${midStream}: ${error.message}`, partialText);
    }
  }
}
