import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { settings } from '../db/schema';

export function getSetting(db: Db, key: string): string | undefined {
  return db.select().from(settings).where(eq(settings.key, key)).get()?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

export function deleteSetting(db: Db, key: string): void {
  db.delete(settings).where(eq(settings.key, key)).run();
}

/** Where providers should send: a configured public URL wins over the address `serve` bound last. */
export const DEFAULT_RECEIVER_URL = 'http://127.0.0.1:7718';

export function receiverBaseUrl(db: Db): string {
  return getSetting(db, 'receiver.publicUrl') ?? getSetting(db, 'receiver.url') ?? DEFAULT_RECEIVER_URL;
}

export const hookUrl = (base: string, hookId: string) => `${base.replace(/\/+$/, '')}/hooks/${hookId}`;
