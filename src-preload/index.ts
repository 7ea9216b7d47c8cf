import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge, EVENT_CHANNEL } from '../src-shared/bridge';
import type { AtlasEvent } from '../src-shared/events';
import type { Envelope } from '../src-shared/envelope';

// The bridge is generated from the contract's method list (src-shared/bridge.ts); nothing here names a method.
contextBridge.exposeInMainWorld(
  'atlas',
  createBridge(
    (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Envelope<unknown>>,
    (listener) => {
      const forward = (_event: IpcRendererEvent, event: AtlasEvent) => listener(event);
      ipcRenderer.on(EVENT_CHANNEL, forward);
      return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    },
  ),
);
