import { method, NoInput } from './define';

export interface AppInfo {
  name: string;
  version: string;
  /** Which transport this renderer is served over. */
  transport: 'electron' | 'web';
  /** The command that started this app, for messages that tell the user what to run again. */
  launchCommand: 'npm start' | 'bedrock-atlas web' | 'desktop app';
  platform: string;
  /** The Bedrock endpoint override in use (a VPC endpoint, a proxy or the emulator), if any. */
  endpointUrl: string | null;
  /** True when the endpoint announced itself as the Bedrock Atlas emulator: all data is simulated. */
  simulated: boolean;
  /** The AWS named profile in use, or null for the default chain. Never credentials. */
  awsProfile: string | null;
}

export const appMethods = {
  getAppInfo: method<AppInfo>()(NoInput),
};
