/**
 * A sign-in that could not end signed in, for a reason the user can act on: the code says which
 * (`SSO_ERROR_CODES`), the message what happened and what to do. Never a stack: the dispatcher and the stream
 * registry send the name, the message and the code.
 */
export class SsoSignInError extends Error {
  override readonly name = 'SsoSignInError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
