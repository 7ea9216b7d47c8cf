/**
 * On Node < 22 the AWS SDK prints an eight-line warning about its 2027 releases from the first client created; one
 * line says the same, and only for a command that calls AWS (never for --version or --help), once per process.
 * `main.ts` sets the SDK's own switch before any client exists, so the SDK stays quiet; a caller that had already
 * set it wants no note at all.
 */
const SDK_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

let wanted = false;
let said = false;

/** Called once at start-up, before any command runs. */
export function quietSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_WARNING_SWITCH] === 'true') return;
  env[SDK_WARNING_SWITCH] = 'true';
  wanted = Number(process.versions.node.split('.')[0]) < 22;
}

/** Says it, at most once, before a command's first AWS call. */
export function noteOldNode(stderr: (line: string) => void): void {
  if (!wanted || said) return;
  said = true;
  stderr(`Note: Node ${process.version} is past its end of life; AWS SDK releases from January 2027 on need Node 22 or later.`);
}
