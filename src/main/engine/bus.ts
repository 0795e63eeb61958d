import { EventEmitter } from 'node:events';
import type { PushEvent } from '../../shared/contract';

/**
 * In-process fan-out of what changed, after it is committed. On a team server another
 * instance's events arrive here too (publishFromPeer): every subscriber sees them, while
 * subscribeLocal sees only this instance's own (what is relayed out, what this instance measured).
 */
export class EngineBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: PushEvent): void {
    this.emitter.emit('event', event);
    this.emitter.emit('local', event);
  }

  /** An event another instance published, relayed here so this instance's windows see it too. */
  publishFromPeer(event: PushEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: PushEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Only what this instance itself published. */
  subscribeLocal(listener: (event: PushEvent) => void): () => void {
    this.emitter.on('local', listener);
    return () => this.emitter.off('local', listener);
  }

  /** Resolves with the first event that matches; how tests and the CLI wait without sleeping. */
  waitFor<E extends PushEvent>(match: (event: PushEvent) => event is E, timeoutMs = 10_000): Promise<E> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for an engine event`));
      }, timeoutMs);
      const off = this.subscribe((event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }
}
