/** What a store method gives back: at once from SQLite, later from a database over the network. */
export type MaybePromise<T> = T | Promise<T>;
