import type { Queryable } from './open';

/**
 * A drizzle statement prepared once per connection. Building a query costs more than
 * SQLite's own work for the small reads and writes on hot paths, so those are built once
 * and reused. Keyed by the database object: statements prepared on it run inside its
 * transactions too.
 */
export function preparedOn<T>(build: (db: Queryable) => T): (db: Queryable) => T {
  const cache = new WeakMap<Queryable, T>();
  return (db) => {
    let statement = cache.get(db);
    if (statement === undefined) {
      statement = build(db);
      cache.set(db, statement);
    }
    return statement;
  };
}
