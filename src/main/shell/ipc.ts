import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { PushEvent } from '../../shared/contract';
import { IPC_CALL, IPC_EVENT, type CallOutcome } from '../../shared/methods';
import { handleCall, type Invoke, type SenderInfo } from './ipc-guard';

export interface IpcEngine {
  invoke: Invoke;
  bus: { subscribe(listener: (event: PushEvent) => void): () => void };
}

/** Who sent a call. A frame that is gone (or throws when read) counts as nobody's. */
function describeSender(event: IpcMainInvokeEvent, window: BrowserWindow): SenderInfo {
  try {
    const frame = event.senderFrame;
    const live = frame !== null && !frame.detached;
    return {
      fromOurWindow: !window.isDestroyed() && event.sender === window.webContents,
      topFrame: live && frame.parent === null,
      frameUrl: live ? frame.url : null,
    };
  } catch {
    return { fromOurWindow: false, topFrame: false, frameUrl: null };
  }
}

/**
 * IPC is one more adapter over the contract, with one channel each way:
 * - IPC_CALL (invoke): the sender must be our window's top frame showing our renderer;
 *   the method must be a contract name and the params an object, which the engine's
 *   invoker then validates against the contract's schema (ipc-guard.ts);
 * - IPC_EVENT (send): the engine's push events, to our window only, while it shows our page.
 * Returns the function that removes both.
 */
export function registerIpc(engine: IpcEngine, window: BrowserWindow, isOwnUrl: (url: string) => boolean): () => void {
  const contents = window.webContents;
  ipcMain.handle(IPC_CALL, (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<CallOutcome> =>
    handleCall(engine.invoke, describeSender(event, window), isOwnUrl, method, params),
  );
  const off = engine.bus.subscribe((event: PushEvent) => {
    // Only to our own page: were anything else ever showing, it would get nothing.
    if (!window.isDestroyed() && !contents.isDestroyed() && isOwnUrl(contents.getURL())) contents.send(IPC_EVENT, event);
  });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    off();
    ipcMain.removeHandler(IPC_CALL);
  };
}
