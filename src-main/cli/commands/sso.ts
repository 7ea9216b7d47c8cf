import { Command } from 'commander';
import { addAwsOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

/** `bedrock-atlas sso login [--profile NAME]`: IAM Identity Center sign-in, as `aws sso login` does it. */
export function ssoCommand(io: CommandIo, version: string): Command {
  const login = new Command('login').description(
    'sign in with IAM Identity Center for an SSO profile: prints the page to open and the code to check, waits for your approval, and writes the token where the AWS CLI and SDKs find it (Ctrl+C cancels)',
  );
  addAwsOptions(login);
  lazyAction(login, io, version, async () => (await import('../actions/sso')).ssoLoginAction);
  return new Command('sso').description('IAM Identity Center (SSO) sign-in').addCommand(login);
}
