import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, METHOD_NAMES } from '../shared/methods';

// The renderer gets the contract's named methods and one subscription; never ipcRenderer
// itself, no channel names, no Node. Each method is bound to its own name here, so the page
// cannot choose which channel or method it reaches; main checks the sender and validates
// the params against the contract (src/main/shell/ipc.ts).
const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (params?: unknown) => ipcRenderer.invoke(IPC_CALL, name, params)]),
);

function subscribe(listener: (event: unknown) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('subscribe(listener) needs a function.');
  // The IpcRendererEvent (with its sender) stays here; the page gets the payload only.
  const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(IPC_EVENT, handler);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipcRenderer.off(IPC_EVENT, handler);
  };
}

contextBridge.exposeInMainWorld('hookbench', { ...methods, subscribe });
