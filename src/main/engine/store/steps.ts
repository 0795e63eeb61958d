/**
 * Logic written once for both stores, as a generator of store operations: SQLite answers each
 * at once inside its synchronous transaction, PostgreSQL over the network. `Ops` is the
 * interface of operations a piece of logic asks for (see ingest/ingest-ops.ts,
 * outbound/endpoint-ops.ts).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any operation signature
type AnyOps<O> = { [K in keyof O]: (...args: any[]) => unknown };

export type Op<O extends AnyOps<O>> = { [K in keyof O]: { name: K; args: Parameters<O[K]> } }[keyof O];
export type Steps<O extends AnyOps<O>, R> = Generator<Op<O>, R, unknown>;
/** The same operations answered over the network (an answer at once is fine too). */
export type AsyncOps<O extends AnyOps<O>> = { [K in keyof O]: (...args: Parameters<O[K]>) => Promise<Awaited<ReturnType<O[K]>>> | Awaited<ReturnType<O[K]>> };

/** One store operation, as a step: `const row = yield* ask('releaseById', id)`. */
export function* askOp<O extends AnyOps<O>, K extends keyof O>(name: K, ...args: Parameters<O[K]>): Generator<Op<O>, Awaited<ReturnType<O[K]>>, unknown> {
  return (yield { name, args } as Op<O>) as Awaited<ReturnType<O[K]>>;
}

/** Runs steps against a store that answers at once, inside its synchronous transaction. */
export function runOps<O extends AnyOps<O>, R>(steps: Steps<O, R>, ops: O): R {
  let step = steps.next();
  while (!step.done) {
    const { name, args } = step.value;
    step = steps.next((ops[name] as (...a: unknown[]) => unknown)(...(args as unknown[])));
  }
  return step.value;
}

/** Runs steps against a store that answers over the network. */
export async function runOpsAsync<O extends AnyOps<O>, R>(steps: Steps<O, R>, ops: AsyncOps<O>): Promise<R> {
  let step = steps.next();
  while (!step.done) {
    const { name, args } = step.value;
    step = steps.next(await (ops[name] as (...a: unknown[]) => unknown)(...(args as unknown[])));
  }
  return step.value;
}
