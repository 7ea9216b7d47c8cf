import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES } from '../host/web-host';

/**
 * The desktop window's guards, written against the small part of Electron's API they use so that they are
 * tested under plain Node: every permission denied (device access and screen capture included), no navigation or
 * redirect away from the dashboard in any frame, no new windows (https links to AWS's console and documentation go
 * to the system browser, any other https link only after the user says so), no webviews, DevTools only when asked
 * for, and the renderer served from `app://bedrock-atlas/` out of the built files only.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'bedrock-atlas';
export const APP_ORIGIN_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

interface PreventableEvent {
  preventDefault(): void;
}

export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
  /** USB, HID, serial and Bluetooth devices. */
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void;
  /** `getDisplayMedia` (screen capture): answered with no stream, which denies it. */
  setDisplayMediaRequestHandler(handler: (request: unknown, callback: (streams: Record<string, never>) => void) => void): void;
}

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

/**
 * Hosts a link may open without asking: AWS's consoles and documentation (and their regional subdomains), and IAM
 * Identity Center's start pages (`<directory>.awsapps.com`), where an SSO sign-in is approved.
 */
export const TRUSTED_LINK_HOSTS = ['aws.amazon.com', 'docs.aws.amazon.com', 'console.aws.amazon.com', 'console.amazonaws.cn', 'repost.aws', 'github.com', 'awsapps.com'] as const;
/** IAM Identity Center's device verification page, per region (`device.sso.us-east-1.amazonaws.com`): not all of amazonaws.com. */
const SSO_DEVICE_HOST = /^device\.sso\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/;
/** On github.com only the project's own pages. */
export const PROJECT_PAGES_PATH = '/bedrock-atlas/';

export function isSafeExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** An https link to AWS's console or documentation (a subdomain of one of them), or to the project's own pages. */
export function isTrustedExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  if (SSO_DEVICE_HOST.test(host)) return true;
  if (host === 'github.com') return parsed.pathname.toLowerCase().startsWith(PROJECT_PAGES_PATH) || /^\/[^/]+\/bedrock-atlas(\/|$)/i.test(parsed.pathname);
  return TRUSTED_LINK_HOSTS.some((trusted) => host === trusted || host.endsWith(`.${trusted}`));
}

export interface ExternalLinkOpener {
  open(url: string): void;
  /** Asks the user whether to open a link that is not on the list; true opens it. */
  confirm(url: string): boolean;
}

/** https only; a trusted link opens at once, any other only once the user has agreed, seeing the whole URL. */
export function openExternalLink(url: string, opener: ExternalLinkOpener): 'opened' | 'asked-and-opened' | 'refused' {
  if (!isSafeExternalLink(url)) return 'refused';
  if (isTrustedExternalLink(url)) {
    opener.open(url);
    return 'opened';
  }
  if (!opener.confirm(url)) return 'refused';
  opener.open(url);
  return 'asked-and-opened';
}

/** DevTools only on request (`BEDROCK_ATLAS_DEVTOOLS=1`), packaged or not: an open console is a way into the page. */
export function devToolsAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.BEDROCK_ATLAS_DEVTOOLS === '1';
}

/** Same renderer, different route (`#/matrix` → `#/latency`) is not navigation away; anything else is. */
export function isSameDocument(url: string, rendererUrl: string): boolean {
  try {
    const target = new URL(url);
    const home = new URL(rendererUrl);
    return target.protocol === home.protocol && target.host === home.host && target.pathname === home.pathname;
  } catch {
    return false;
  }
}

/** Guards one webContents; called from `web-contents-created`, so it is in place before any window exists. */
export function guardContents(contents: GuardedContents, rendererUrl: string, openExternal: (url: string) => void): void {
  // `openExternal` is the whole policy (see openExternalLink): this guard only turns every new window into a call to it.
  const refuseLeaving = (event: PreventableEvent & { url?: string }, url?: string) => {
    const target = url ?? event.url ?? '';
    if (!isSameDocument(target, rendererUrl)) event.preventDefault();
  };
  contents.on('will-navigate', refuseLeaving);
  contents.on('will-frame-navigate', refuseLeaving);
  contents.on('will-redirect', refuseLeaving);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}


/** The built file an `app://` request names, or null for another host or a path that leaves the renderer folder. */
export function resolveAppRequest(url: string, rendererDir: string): { file: string; contentType: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const relative = normalize(path === '/' ? 'index.html' : path).replace(/^([/\\])+/, '');
  if (relative.split(/[/\\]/).includes('..') || relative.includes('\0')) return null;
  const file = join(rendererDir, relative);
  if (!file.startsWith(rendererDir + sep)) return null;
  return { file, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' };
}
