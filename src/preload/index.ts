import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, METHOD_NAMES } from '../shared/methods';

// The renderer gets the contract's named methods and one subscription; never ipcRenderer itself.
const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (params: unknown) => ipcRenderer.invoke(IPC_CALL, name, params)]),
);

contextBridge.exposeInMainWorld('hookbench', {
  ...methods,
  subscribe(listener: (event: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.off(IPC_EVENT, handler);
  },
});
