import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ApiError, type PushEvent } from '../shared/contract';
import { IPC_CALL, IPC_EVENT, type CallOutcome } from '../shared/methods';
import type { Engine } from './engine';

/**
 * IPC is one more adapter over the contract: the sender frame is checked, the
 * method name and params are validated by the same invoker the HTTP API uses.
 */
export function registerIpc(engine: Engine, window: BrowserWindow, isOwnUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<CallOutcome> => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (event.sender !== window.webContents || !isOwnUrl(frameUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an unexpected frame.' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'invalid_params', message: 'Method must be a string.' } };
    try {
      return { ok: true, result: await engine.invoke(method, params) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: { code: error.code, message: error.message, issues: error.issues } };
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
  });
  const off = engine.bus.subscribe((event: PushEvent) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
  return () => {
    off();
    ipcMain.removeHandler(IPC_CALL);
  };
}
