import { describe, expect, it } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import { decodeEnvelope, encodeEnvelope, NOTIFY_PAYLOAD_LIMIT } from '../../src/main/engine/team/event-envelope';

const activity = (message: string): PushEvent => ({
  type: 'activity',
  entry: { id: 7, at: 1, packageId: 'pkg_1', packageName: 'widgets', kind: 'rejected', message, deliveryId: null, releaseId: null },
});

describe('events between instances (NOTIFY payloads)', () => {
  it('sends an event that fits as it is, tagged with the instance that published it', () => {
    const event = activity('tag v1.2.3 ingested');
    expect(decodeEnvelope(encodeEnvelope('instance-a', event))).toEqual({ from: 'instance-a', event });
  });

  it('counts bytes, not characters: text in a non-Latin script that would not fit is sent as a reload notice', () => {
    // 3,000 characters, 9,000 bytes in UTF-8: PostgreSQL would refuse it.
    const payload = encodeEnvelope('instance-a', activity('配'.repeat(3_000)));
    expect(Buffer.byteLength(payload)).toBeLessThan(NOTIFY_PAYLOAD_LIMIT);
    expect(decodeEnvelope(payload)?.event).toEqual({ type: 'reload', of: 'activity' });
  });

  it('names the endpoint or the delivery a too-large event was about, so only that is read again', () => {
    const body = 'x'.repeat(10_000);
    const forward: PushEvent = {
      type: 'forward',
      deliveryId: 42,
      forward: { url: 'http://127.0.0.1:9/', state: 'delivered', attempts: 1, status: 200, headers: [], body, durationMs: 4, error: null, nextAttemptAt: null },
    };
    expect(decodeEnvelope(encodeEnvelope('a', forward))?.event).toEqual({ type: 'reload', of: 'forward', deliveryId: 42 });
  });

  it('ignores what is not an envelope on the channel', () => {
    for (const payload of [undefined, '', 'hello', '42', 'null', '{"from":1,"event":{}}', '{"from":"a","event":{"type":3}}', '{"from":"a"}']) {
      expect(decodeEnvelope(payload)).toBeNull();
    }
  });
});
