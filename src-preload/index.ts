import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge } from '../src-shared/bridge';
import type { Envelope } from '../src-shared/envelope';

// The bridge is generated from the contract's name lists (src-shared/bridge.ts); nothing here names a method.
contextBridge.exposeInMainWorld(
  'atlas',
  createBridge({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args) as Promise<Envelope<unknown>>,
    send: (channel, ...args) => ipcRenderer.send(channel, ...args),
    listen: (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  }),
);
