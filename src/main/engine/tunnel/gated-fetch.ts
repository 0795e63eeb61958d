/**
 * The fetch smee-client's EventSource reads the channel through, with one change: the
 * next chunk of the stream is read only once every event taken from the previous ones is
 * stored. Events read together share one commit; what smee sends meanwhile waits in the
 * socket, so a crash loses only what the process had not yet read, never events it held
 * in memory waiting for the disk.
 */
export type Stored = () => Promise<void>;

/** The response body, pulled one chunk per read and only after `stored()` settles. */
function gatedBody(body: ReadableStream<Uint8Array>, stored: Stored): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await stored();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Nothing is read ahead of the consumer.
    { highWaterMark: 0 },
  );
}

/**
 * smee-client calls this with its own proxy-aware dispatcher in `init`; Node's fetch is
 * the same undici and takes it as is.
 */
export function gatedFetch(stored: Stored, base: typeof fetch = fetch) {
  return async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const res = await base(input, init);
    if (!res.body || res.status === 204 || res.status === 205 || res.status === 304) return res;
    return new Response(gatedBody(res.body, stored), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
