import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import Store from 'electron-store';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METHOD_NAMES, STREAM_NAMES } from '../../src-shared/methods';
import { callChannel, EVENT_CHANNEL, STREAM_ACK_CHANNEL, STREAM_CANCEL_CHANNEL, STREAM_FRAME_CHANNEL, streamStartChannel } from '../../src-shared/bridge';
import { createAtlasCore } from '../core/app/atlas-core';
import { defaultSettingsPath } from '../core/app/settings-store';
import { EncryptedFileVault } from '../core/identity/encrypted-file-vault';
import { parseDesktopArguments, LaunchOptionsError, type AppLaunchOptions } from '../cli/app-options';
import { CONTENT_SECURITY_POLICY } from '../host/web-host';
import { createIpcGate } from './ipc-gate';
import { APP_ORIGIN_URL, APP_SCHEME, denyAllPermissions, devToolsAllowed, guardContents, openExternalLink, resolveAppRequest } from './security';

/**
 * The desktop shell: one window, its security settings, the menu and IPC registration. Everything else lives in
 * src-main/core and is shared with the browser host and the CLI.
 */

interface WindowState {
  bounds?: { x?: number; y?: number; width: number; height: number };
  maximized?: boolean;
}

const isDevelopment = !app.isPackaged;
const devTools = devToolsAllowed(process.env);

// Every renderer in an OS sandbox, whatever a window's own preferences say.
app.enableSandbox();
// A dev server URL is honoured only in development builds: a packaged app always loads its own files.
const rendererUrl = (isDevelopment && process.env.ELECTRON_RENDERER_URL) || APP_ORIGIN_URL;
const rendererDir = join(import.meta.dirname, '../renderer');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Guards go on every webContents as it is created, before the window (or anything it might embed) exists.
const openLink = (url: string) =>
  void openExternalLink(url, {
    open: (link) => void shell.openExternal(link),
    confirm: (link) =>
      dialog.showMessageBoxSync({
        type: 'question',
        buttons: ['Cancel', 'Open in browser'],
        defaultId: 0,
        cancelId: 0,
        title: 'Open this link?',
        message: 'Bedrock Atlas was asked to open a page outside AWS and this project:',
        detail: link,
      }) === 1,
  });
app.on('web-contents-created', (_event, contents) => guardContents(contents, rendererUrl, openLink));

function readLaunchOptions(): AppLaunchOptions {
  try {
    // `electron <app dir> [args]` in development, `<exe> [args]` when packaged.
    return parseDesktopArguments(process.argv.slice(isDevelopment ? 2 : 1));
  } catch (error) {
    if (!(error instanceof LaunchOptionsError)) throw error;
    dialog.showErrorBox('Bedrock Atlas: bad option', error.message);
    console.error(`error: ${error.message}`);
    app.exit(2);
    throw error;
  }
}

async function serveRendererFile(request: Request): Promise<Response> {
  const resolved = resolveAppRequest(request.url, rendererDir);
  if (!resolved) return new Response('Not found', { status: 404 });
  try {
    return new Response(await readFile(resolved.file), {
      headers: { 'content-type': resolved.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

async function start() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const launch = readLaunchOptions();
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, serveRendererFile);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  const store = new Store<WindowState>({ name: 'window-state' });
  const core = await createAtlasCore({
    version: app.getVersion(),
    transport: 'electron',
    launchCommand: process.env.npm_lifecycle_event === 'start' ? 'npm start' : 'desktop app',
    settingsPath: defaultSettingsPath(),
    overrides: launch.overrides,
    endpointUrl: launch.endpointUrl ?? (process.env.BEDROCK_ATLAS_ENDPOINT_URL || null),
    bundledPath: launch.bundled ? join(app.getAppPath(), 'bundled', 'bedrock_catalog_bundled.json') : null,
    // A pasted Bedrock API key, encrypted by the OS keychain, in a file of its own (never settings.json).
    apiKeyVault: new EncryptedFileVault(join(app.getPath('userData'), 'bedrock-api-key.enc'), safeStorage),
    log: (line) => console.error(line),
  });

  const saved = store.get('bounds');
  const window = new BrowserWindow({
    width: saved?.width ?? 1440,
    height: saved?.height ?? 900,
    x: saved?.x,
    y: saved?.y,
    minWidth: 900,
    minHeight: 560,
    title: 'Bedrock Atlas',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools,
    },
  });
  if (store.get('maximized')) window.maximize();
  window.once('ready-to-show', () => window.show());
  const saveBounds = () => {
    store.set('bounds', window.getNormalBounds());
    store.set('maximized', window.isMaximized());
  };
  window.on('resize', saveBounds);
  window.on('move', saveBounds);

  const gate = createIpcGate(core.dispatcher, {
    windowId: () => (window.isDestroyed() ? null : window.webContents.id),
    rendererUrl,
    streams: core.streams,
    frameChannel: STREAM_FRAME_CHANNEL,
  });
  const senderOf = (event: Electron.IpcMainEvent | Electron.IpcMainInvokeEvent) => ({ id: event.sender.id, url: event.senderFrame?.url ?? '' });
  for (const method of METHOD_NAMES) {
    ipcMain.handle(callChannel(method), (event, input: unknown) => gate.call(method, senderOf(event), input));
  }
  for (const name of STREAM_NAMES) {
    ipcMain.handle(streamStartChannel(name), (event, payload: unknown) => gate.startStream(name, senderOf(event), event.sender, payload));
  }
  ipcMain.on(STREAM_CANCEL_CHANNEL, (event, streamId: unknown) => gate.cancelStream(senderOf(event), streamId));
  ipcMain.on(STREAM_ACK_CHANNEL, (event, streamId: unknown, frames: unknown) => gate.ackStream(senderOf(event), streamId, frames));

  // A reload or a closed window cancels what it started: its streams' upstream requests are aborted.
  const contentsId = window.webContents.id;
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) gate.senderGone(contentsId);
  });
  window.webContents.on('destroyed', () => gate.senderGone(contentsId));

  const send = (event: unknown) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  };
  const unsubscribe = core.events.subscribe(send);
  // Each load of the page starts from the current state, as a reconnecting browser client does.
  window.webContents.on('did-finish-load', () => core.snapshotEvents().forEach(send));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'Bedrock Atlas',
        submenu: [
          {
            label: 'Refresh catalog',
            accelerator: 'CmdOrCtrl+Shift+R',
            click: () => void core.handlers.refreshCatalog(undefined, { signal: new AbortController().signal }).catch(() => {}),
          },
          { role: 'reload' },
          ...(devTools ? [{ role: 'toggleDevTools' as const }] : []),
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
    ]),
  );

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // The quit waits for the core to close (the history file is closed after its last statement, and DuckDB must not
  // be closed under one), then goes on.
  let closing: Promise<void> | null = null;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    unsubscribe();
    closing = core.close().finally(() => {
      closed = true;
      app.quit();
    });
  });

  await window.loadURL(rendererUrl);
}

void start();
