import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { APP_ORIGIN_URL, denyAllPermissions, devToolsAllowed, guardContents, isSameDocument, isTrustedExternalLink, openExternalLink, resolveAppRequest, type GuardedContents } from './security';

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
  it('denies every permission request and check, device access and screen capture', () => {
    let request!: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    let check!: (...args: unknown[]) => boolean;
    let device!: (...args: unknown[]) => boolean;
    let displayMedia!: (request: unknown, callback: (streams: Record<string, never>) => void) => void;
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => (request = handler),
      setPermissionCheckHandler: (handler) => (check = handler),
      setDevicePermissionHandler: (handler) => (device = handler),
      setDisplayMediaRequestHandler: (handler) => (displayMedia = handler),
    });
    expect(device({ deviceType: 'usb', origin: 'app://bedrock-atlas' })).toBe(false);
    const streams: unknown[] = [];
    displayMedia({ frame: null, securityOrigin: 'app://bedrock-atlas' }, (given) => streams.push(given));
    expect(streams).toEqual([{}]);
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

  it('opens AWS console and documentation links and the project\'s pages at once, asks before any other https link', () => {
    for (const url of ['https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles.html', 'https://us-east-1.console.aws.amazon.com/bedrock/home', 'https://aws.amazon.com/bedrock/pricing/', 'https://github.com/acme/bedrock-atlas/issues']) {
      expect(isTrustedExternalLink(url)).toBe(true);
    }
    for (const url of ['https://evil.example/', 'https://aws.amazon.com.evil.example/', 'https://docs.aws.amazon.com@evil.example/', 'https://user:pw@docs.aws.amazon.com/', 'https://github.com/evil/other', 'http://docs.aws.amazon.com/']) {
      expect(isTrustedExternalLink(url)).toBe(false);
    }
    const opened: string[] = [];
    const asked: string[] = [];
    const opener = (answer: boolean) => ({ open: (url: string) => opened.push(url), confirm: (url: string) => (asked.push(url), answer) });
    expect(openExternalLink('https://docs.aws.amazon.com/bedrock/', opener(false))).toBe('opened');
    expect(openExternalLink('https://evil.example/x', opener(false))).toBe('refused');
    expect(openExternalLink('https://example.org/paper.pdf', opener(true))).toBe('asked-and-opened');
    expect(openExternalLink('javascript:alert(1)', opener(true))).toBe('refused');
    expect(openExternalLink('file:///etc/passwd', opener(true))).toBe('refused');
    expect(opened).toEqual(['https://docs.aws.amazon.com/bedrock/', 'https://example.org/paper.pdf']);
    expect(asked).toEqual(['https://evil.example/x', 'https://example.org/paper.pdf']);
  });

  it('allows DevTools only when asked for explicitly', () => {
    expect(devToolsAllowed({})).toBe(false);
    expect(devToolsAllowed({ NODE_ENV: 'development' })).toBe(false);
    expect(devToolsAllowed({ BEDROCK_ATLAS_DEVTOOLS: '1' })).toBe(true);
  });

  it('the shell turns the sandbox on for every renderer and routes every external link through the policy', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(join(import.meta.dirname, 'main.ts'), 'utf8');
    expect(source).toMatch(/app\.enableSandbox\(\);/);
    expect(source).not.toMatch(/shell\.openExternal\(url\)/);
    expect(source).toMatch(/devTools,/);
  });
});
