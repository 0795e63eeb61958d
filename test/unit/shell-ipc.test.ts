import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseParams, type PushEvent } from '../../src/shared/contract';
import { IPC_CALL, IPC_EVENT, type CallOutcome } from '../../src/shared/methods';
import { errorOutcome, handleCall, precheck, senderAllowed, type SenderInfo } from '../../src/main/shell/ipc-guard';
import { createOwnUrlCheck } from '../../src/main/shell/url-policy';
import { startEngine } from '../helpers/engine';

// ipc.ts imports ipcMain from electron, which cannot run here: a stand-in records the handler.
const electron = vi.hoisted(() => ({ handlers: new Map<string, (...args: unknown[]) => unknown>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => {
      if (electron.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      electron.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
}));
const { registerIpc } = await import('../../src/main/shell/ipc');

const ownUrl = pathToFileURL('/app/out/renderer/index.html').href;
const isOwnUrl = createOwnUrlCheck({ rendererFile: '/app/out/renderer/index.html' });
const trusted: SenderInfo = { fromOurWindow: true, topFrame: true, frameUrl: ownUrl };

describe('IPC sender check', () => {
  it('accepts only our window, its top frame, showing our page', () => {
    expect(senderAllowed(trusted, isOwnUrl)).toBe(true);
    expect(senderAllowed({ ...trusted, fromOurWindow: false }, isOwnUrl)).toBe(false);
    expect(senderAllowed({ ...trusted, topFrame: false }, isOwnUrl)).toBe(false);
    expect(senderAllowed({ ...trusted, frameUrl: 'https://example.com/' }, isOwnUrl)).toBe(false);
    expect(senderAllowed({ ...trusted, frameUrl: null }, isOwnUrl)).toBe(false);
  });
});

describe('IPC precheck', () => {
  it('takes contract method names only', () => {
    expect(precheck('packages.list', {})).toMatchObject({ ok: true, method: 'packages.list' });
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 'packages.list ', '', 42, null, undefined, { toString: () => 'packages.list' }]) {
      const r = precheck(m, {});
      expect(r.ok, String(m)).toBe(false);
      if (!r.ok) expect(r.outcome.error.code).toBe('unknown_method');
    }
  });

  it('takes plain-object params (absent means {}), nothing else', () => {
    expect(precheck('packages.list', undefined)).toEqual({ ok: true, method: 'packages.list', params: {} });
    expect(precheck('packages.list', null)).toEqual({ ok: true, method: 'packages.list', params: {} });
    expect(precheck('packages.list', Object.create(null))).toMatchObject({ ok: true });
    for (const p of ['x', 1, true, [], [{}], new Map(), new Date(), new Uint8Array(2), Object.create({ inherited: 1 })]) {
      const r = precheck('packages.list', p);
      expect(r.ok, Object.prototype.toString.call(p)).toBe(false);
      if (!r.ok) expect(r.outcome.error.code).toBe('invalid_params');
    }
  });

  it('reports non-API errors as internal', () => {
    expect(errorOutcome(new Error('boom'))).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(errorOutcome('plain')).toEqual({ ok: false, error: { code: 'internal', message: 'plain' } });
  });
});

describe('IPC calls reach the engine validated, or not at all', () => {
  it('never calls the engine for a foreign sender, an unknown method or non-object params', async () => {
    const invoke = vi.fn(async () => 'reached');
    expect(await handleCall(invoke, { ...trusted, frameUrl: 'https://evil.test/' }, isOwnUrl, 'packages.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handleCall(invoke, trusted, isOwnUrl, 'db.exec', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await handleCall(invoke, trusted, isOwnUrl, 'packages.list', ['x'])).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it("goes through the engine's invoker: zod-validated, unknown keys dropped, typed errors kept", async () => {
    const { engine } = await startEngine();
    const seen: unknown[] = [];
    const invoke = (method: string, params: unknown) => {
      seen.push(params);
      return engine.invoke(method, params);
    };
    const bad = await handleCall(invoke, trusted, isOwnUrl, 'packages.add', { provider: 'github', repo: 'no-slash', repoId: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(bad.ok || bad.error.issues?.length).toBeGreaterThan(0);

    const added = await handleCall(invoke, trusted, isOwnUrl, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7', isAdmin: true });
    expect(added).toMatchObject({ ok: true });
    const missing = await handleCall(invoke, trusted, isOwnUrl, 'packages.get', { id: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const listed = (await handleCall(invoke, trusted, isOwnUrl, 'packages.list', undefined)) as Extract<CallOutcome, { ok: true }>;
    expect(listed.ok && Array.isArray(listed.result) && listed.result.length).toBe(1);
    expect(seen).toContainEqual({});
    // What the invoker hands a handler is the schema's output: the extra key is gone.
    expect(parseParams('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7', isAdmin: true })).not.toHaveProperty('isAdmin');
  });
});

describe('registerIpc', () => {
  beforeEach(() => electron.handlers.clear());

  function fakeWindow(url = ownUrl) {
    const sent: unknown[][] = [];
    const contents = { send: (...a: unknown[]) => sent.push(a), isDestroyed: () => false, getURL: () => url };
    return { sent, contents, window: { webContents: contents, isDestroyed: () => false } };
  }

  it('answers calls from our top frame, refuses others, forwards push events, and unregisters', async () => {
    const listeners = new Set<(e: PushEvent) => void>();
    const invoke = vi.fn(async (method: string) => ({ method }));
    const engine = { invoke, bus: { subscribe: (l: (e: PushEvent) => void) => (listeners.add(l), () => listeners.delete(l)) } };
    const { window, contents, sent } = fakeWindow();
    const stop = registerIpc(engine, window as never, isOwnUrl);
    const handler = electron.handlers.get(IPC_CALL)!;
    const frame = (over: Record<string, unknown> = {}) => ({ detached: false, parent: null, url: ownUrl, ...over });

    expect(await handler({ sender: contents, senderFrame: frame() }, 'server.info', {})).toEqual({ ok: true, result: { method: 'server.info' } });
    expect(await handler({ sender: {}, senderFrame: frame() }, 'server.info', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await handler({ sender: contents, senderFrame: frame({ parent: frame() }) }, 'server.info', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await handler({ sender: contents, senderFrame: frame({ detached: true }) }, 'server.info', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await handler({ sender: contents, senderFrame: null }, 'server.info', {})).toMatchObject({ error: { code: 'forbidden' } });
    const throwing = { detached: false, get parent(): never { throw new Error('Render frame was disposed') } };
    expect(await handler({ sender: contents, senderFrame: throwing }, 'server.info', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(invoke).toHaveBeenCalledTimes(1);

    for (const l of listeners) l({ type: 'packages' });
    expect(sent).toEqual([[IPC_EVENT, { type: 'packages' }]]);

    stop();
    stop();
    expect(electron.handlers.has(IPC_CALL)).toBe(false);
    expect(listeners.size).toBe(0);
  });

  it('sends nothing to a window that is not showing our page', () => {
    const listeners = new Set<(e: PushEvent) => void>();
    const engine = { invoke: vi.fn(), bus: { subscribe: (l: (e: PushEvent) => void) => (listeners.add(l), () => listeners.delete(l)) } };
    const { window, sent } = fakeWindow('https://elsewhere.test/');
    const stop = registerIpc(engine, window as never, isOwnUrl);
    for (const l of listeners) l({ type: 'packages' });
    expect(sent).toEqual([]);
    stop();
  });
});
