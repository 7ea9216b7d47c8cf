import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { APP_ORIGIN_URL, denyAllPermissions, guardContents, isSameDocument, resolveAppRequest, type GuardedContents } from './security';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>();
  let openHandler: (details: { url: string }) => { action: 'deny' } = () => ({ action: 'deny' });
  const contents = {
    on: (event: string, listener: never) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  } as unknown as GuardedContents;
  const fire = (event: string, url: string) => {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => (prevented = true), url }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler({ url }), listeners };
}

describe('desktop window guards', () => {
  it('denies every permission request and check', () => {
    let request!: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    let check!: (...args: unknown[]) => boolean;
    denyAllPermissions({ setPermissionRequestHandler: (handler) => (request = handler), setPermissionCheckHandler: (handler) => (check = handler) });
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) request(null, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(check(null, 'media')).toBe(false);
  });

  it('refuses navigation, frame navigation and redirects away from the dashboard, in-app routes allowed', () => {
    const { contents, fire } = fakeContents();
    guardContents(contents, APP_ORIGIN_URL, () => {});
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(event, 'https://evil.example/')).toBe(true);
      expect(fire(event, 'file:///etc/passwd')).toBe(true);
      expect(fire(event, 'app://bedrock-atlas/index.html#/latency')).toBe(false);
    }
  });

  it('refuses webviews and new windows; only https links go to the system browser', () => {
    const { contents, fire, open } = fakeContents();
    const opened: string[] = [];
    guardContents(contents, APP_ORIGIN_URL, (url) => opened.push(url));
    expect(fire('will-attach-webview', 'about:blank')).toBe(true);
    expect(open('https://docs.aws.amazon.com/bedrock/')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.aws.amazon.com/bedrock/']);
  });

  it('serves app:// only from the renderer folder', () => {
    const dir = join('/opt', 'atlas', 'renderer');
    expect(resolveAppRequest('app://bedrock-atlas/', dir)).toEqual({ file: join(dir, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://bedrock-atlas/assets/index-1.js', dir)?.file).toBe(join(dir, 'assets', 'index-1.js'));
    // Dot segments, plain or encoded, never climb out of the folder.
    for (const url of ['app://bedrock-atlas/../../etc/passwd', 'app://bedrock-atlas/%2e%2e/%2e%2e/etc/passwd', 'app://bedrock-atlas/a/..%2f..%2f..%2fetc/passwd']) {
      const file = resolveAppRequest(url, dir)?.file;
      expect(file === undefined || file.startsWith(dir)).toBe(true);
    }
    expect(resolveAppRequest('app://bedrock-atlas/%E0%A4%A', dir)).toBeNull();
    expect(resolveAppRequest('app://elsewhere/index.html', dir)).toBeNull();
    expect(resolveAppRequest('file:///etc/passwd', dir)).toBeNull();
    expect(isSameDocument('app://bedrock-atlas/index.html#/x', APP_ORIGIN_URL)).toBe(true);
  });
});
