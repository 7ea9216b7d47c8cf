import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { METHOD_NAMES } from '../../src-shared/methods';
import { callChannel, EVENT_CHANNEL } from '../../src-shared/bridge';
import { createAtlasCore } from '../core/app/atlas-core';
import { defaultSettingsPath } from '../core/app/settings-store';
import { CONTENT_SECURITY_POLICY } from '../host/web-host';
import { createIpcGate } from './ipc-gate';

/**
 * The desktop shell: one window, its security settings, the menu and IPC registration. Everything else lives in
 * src-main/core and is shared with the browser host and the CLI.
 */

interface WindowState {
  bounds?: { x?: number; y?: number; width: number; height: number };
  maximized?: boolean;
}

const isDevelopment = !app.isPackaged;
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

function isSafeExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

async function start() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const store = new Store<WindowState>({ name: 'window-state' });
  const core = await createAtlasCore({
    name: 'Bedrock Atlas',
    version: app.getVersion(),
    transport: 'electron',
    settingsPath: defaultSettingsPath(),
    endpointUrl: process.env.BEDROCK_ATLAS_ENDPOINT_URL || null,
    bundledPath: join(app.getAppPath(), 'bundled', 'bedrock_catalog_bundled.json'),
    log: (line) => console.error(line),
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
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
      devTools: isDevelopment,
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

  // Nothing navigates away from the dashboard or opens windows; https links go to the system browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));

  const gate = createIpcGate(core.dispatcher, { windowId: () => (window.isDestroyed() ? null : window.webContents.id), rendererUrl });
  for (const method of METHOD_NAMES) {
    ipcMain.handle(callChannel(method), (event, input: unknown) =>
      gate(method, { id: event.sender.id, url: event.senderFrame?.url ?? '' }, input),
    );
  }
  const unsubscribe = core.events.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'Bedrock Atlas',
        submenu: [
          { label: 'Refresh catalog', accelerator: 'CmdOrCtrl+Shift+R', click: () => void core.handlers.refreshCatalog(undefined).catch(() => {}) },
          { role: 'reload' },
          ...(isDevelopment ? [{ role: 'toggleDevTools' as const }] : []),
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
  app.on('before-quit', () => {
    unsubscribe();
    core.close();
  });

  await window.loadURL(rendererUrl);
}

void start();
