import type { Dispatcher } from '../core/api/dispatcher';
import type { Envelope } from '../../src-shared/envelope';

/**
 * The IPC side of the one gate: only the app's own window may call, then the dispatcher validates the argument
 * and answers an envelope. Kept free of Electron imports so it is tested under plain Node.
 */
export interface IpcSender {
  /** The webContents id of the frame's owner. */
  id: number;
  /** The URL of the frame that sent the message. */
  url: string;
}

export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const frame = new URL(url);
    const expected = new URL(rendererUrl);
    if (expected.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === expected.pathname;
    return frame.origin === expected.origin;
  } catch {
    return false;
  }
}

export function createIpcGate(dispatcher: Dispatcher, trusted: { windowId: () => number | null; rendererUrl: string }) {
  return async (method: string, sender: IpcSender, input: unknown): Promise<Envelope<unknown>> => {
    if (sender.id !== trusted.windowId() || !isTrustedRendererUrl(sender.url, trusted.rendererUrl)) {
      return { ok: false, error: { name: 'ForbiddenSender', code: 'FORBIDDEN_SENDER', message: `IPC from ${sender.url || 'an unknown frame'} is not accepted` } };
    }
    return dispatcher.dispatch(method, input);
  };
}
