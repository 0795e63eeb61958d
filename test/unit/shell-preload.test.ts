import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_EVENT, METHOD_NAMES } from '../../src/shared/methods';

// The preload runs in Electron's sandbox; here a stand-in for contextBridge and ipcRenderer
// records what it exposes and what it sends.
const bridge = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<(...a: unknown[]) => void>>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      bridge.invoked.push(args);
      return Promise.resolve({ ok: true, result: null });
    },
    on: (channel: string, fn: (...a: unknown[]) => void) => {
      if (!bridge.listeners.has(channel)) bridge.listeners.set(channel, new Set());
      bridge.listeners.get(channel)!.add(fn);
    },
    off: (channel: string, fn: (...a: unknown[]) => void) => bridge.listeners.get(channel)?.delete(fn),
  },
}));
await import('../../src/preload/index');

describe('preload bridge', () => {
  const api = bridge.exposed.get('hookbench')!;

  it("exposes one global with the contract's methods and subscribe, nothing else", () => {
    expect([...bridge.exposed.keys()]).toEqual(['hookbench']);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('binds each method to its own name on the one call channel', async () => {
    await (api['deliveries.get'] as (p: unknown) => Promise<unknown>)({ id: 3 });
    expect(bridge.invoked.at(-1)).toEqual([IPC_CALL, 'deliveries.get', { id: 3 }]);
  });

  it('subscribe hands the page the payload only, and unsubscribes once', () => {
    const seen: unknown[][] = [];
    const off = (api.subscribe as (l: (...a: unknown[]) => void) => () => void)((...a) => seen.push(a));
    for (const l of bridge.listeners.get(IPC_EVENT)!) l({ sender: 'the IpcRendererEvent' }, { type: 'packages' });
    expect(seen).toEqual([[{ type: 'packages' }]]);
    off();
    off();
    expect(bridge.listeners.get(IPC_EVENT)!.size).toBe(0);
    expect(() => (api.subscribe as (l: unknown) => void)('not a function')).toThrow(TypeError);
  });
});
