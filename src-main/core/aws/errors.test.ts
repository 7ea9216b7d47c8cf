import { describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  ModelNotReadyException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { classifyAwsError, explainAwsError } from './errors';
import { CredentialsError } from './credential-errors';

/** Real SDK exception objects, as the client throws them after deserializing an answer. */
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode, requestId: 'req-123' } });
const redact = (text: string) => text;

describe('one classifier for every AWS failure', () => {
  it.each([
    ['a throttle', new ThrottlingException({ message: 'Too many requests, please wait before trying again.', ...meta(429) }), 'throttled'],
    ['a model not ready (not a throttle, in the lab and the playground alike)', new ModelNotReadyException({ message: 'Model is not ready', ...meta(429) }), 'modelNotReady'],
    ['an IAM denial', new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", ...meta(403) }), 'accessDenied'],
    [
      'an organization policy denial',
      new AccessDeniedException({
        message: 'User: arn:aws:sts::123456789012:assumed-role/Dev/ana is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-south-2::foundation-model/x with an explicit deny in a service control policy',
        ...meta(403),
      }),
      'organizationPolicy',
    ],
    [
      'a bare id that needs a profile',
      new ValidationException({ message: 'Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.', ...meta(400) }),
      'needsProfile',
    ],
    ['a model not offered', new ValidationException({ message: 'The provided model identifier is invalid.', ...meta(400) }), 'notOffered'],
    ['a missing resource', new ResourceNotFoundException({ message: 'Model not found', ...meta(404) }), 'notOffered'],
    ['a bad request', new ValidationException({ message: 'maxTokens must be at least 1', ...meta(400) }), 'validation'],
    ['a server fault', new ServiceUnavailableException({ message: 'Bedrock is unable to process your request.', ...meta(503) }), 'other'],
    ['missing credentials', new CredentialsError('No AWS credentials found.', 'CredentialsMissing'), 'credentials'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'network'],
    ['both address families refused', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''), { code: undefined }), 'network'],
    ['a socket timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'timeout'],
  ])('%s', (_case, error, errorClass) => {
    expect(classifyAwsError(error).errorClass).toBe(errorClass);
  });

  it('keeps the request id and the status for support cases and CloudTrail', () => {
    expect(classifyAwsError(new ThrottlingException({ message: 'slow down', ...meta(429) }))).toMatchObject({ requestId: 'req-123', httpStatus: 429, retryable: true });
  });

  it('a deadline of the caller makes any failure a timeout', () => {
    expect(classifyAwsError(new Error('Request aborted'), { timedOut: true }).errorClass).toBe('timeout');
  });

  it('turns a class into one message with its fix, the upstream text kept at the end and redacted', () => {
    const explained = explainAwsError(
      new AccessDeniedException({ message: 'denied for AKIAIOSFODNN7EXAMPLE by a service control policy', ...meta(403) }),
      { service: 'Bedrock', region: 'eu-south-2', invokeId: 'eu.anthropic.claude-sonnet-4-20250514-v1:0', redact: (text) => text.replace('AKIAIOSFODNN7EXAMPLE', '[redacted]') },
    );
    expect(explained).toMatchObject({ code: 'ORGANIZATION_POLICY', errorClass: 'organizationPolicy', requestId: 'req-123' });
    expect(explained.message).toBe(
      'An organization policy (SCP) denies eu.anthropic.claude-sonnet-4-20250514-v1:0 in eu-south-2: ask your AWS administrator to allow it in eu-south-2, or call from a region the policy allows. (denied for [redacted] by a service control policy)',
    );
    expect(explained.fix).toMatch(/ask your AWS administrator/);
  });

  it('a credential failure keeps its specific code for the UI and scripts', () => {
    expect(explainAwsError(new CredentialsError('Your AWS SSO session has expired. Run `aws sso login`.', 'SSOTokenExpired'), { redact })).toMatchObject({
      code: 'SSOTokenExpired',
      errorClass: 'credentials',
      message: 'Your AWS SSO session has expired. Run `aws sso login`.',
    });
  });
});
