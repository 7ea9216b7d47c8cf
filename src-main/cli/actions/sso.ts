import type { ActionContext } from '../lazy-action';
import { callStream } from '../core-calls';
import { openCommandCore } from '../command-core';
import { EXIT_INTERRUPTED, interruptible } from '../interrupt';

/**
 * `bedrock-atlas sso login`: the device authorization through the core's `ssoSignIn` stream. The page and the code
 * go to stderr (stdout stays clean), then it waits for the approval; Ctrl+C cancels upstream and exits 130 with
 * nothing written. A denied or expired authorization, or an unwritable cache, exits 1 with its message.
 */
export async function ssoLoginAction({ shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  const { signal, release } = interruptible();
  try {
    let result;
    try {
      result = await callStream(
        core,
        'ssoSignIn',
        {},
        (chunk) => {
          if (chunk.phase === 'authorizing') {
            io.stderr(`Open this page to sign in, and check that it shows the code ${chunk.userCode}:`);
            io.stderr(`  ${chunk.verificationUri}`);
            io.stderr(`Waiting for your approval (the code expires at ${chunk.expiresAt}; Ctrl+C cancels)…`);
          }
        },
        { signal },
      );
    } catch (error) {
      if (!signal.aborted) throw error;
      result = null;
    }
    if (!result || result.cancelled) {
      io.stderr('Sign-in cancelled: nothing was written.');
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    io.stderr(`Signed in: profile ${result.profile}, valid until ${result.expiresAt} (token cached in ${result.cacheFile}).`);
  } finally {
    release();
    await core.close();
  }
}
