import { createHash, type Hash } from 'node:crypto';

/**
 * One digest of a table's bytes: each row's id and the sha256 of its blob (or none), in id
 * order. PostgreSQL hashes its stored bytes itself (sha256(bytea)), so checking the server's
 * side reads 32 bytes a row, not every body again.
 */
export class TableDigest {
  private readonly hash: Hash = createHash('sha256');

  addRow(id: number, rowHash: Buffer | null): void {
    this.hash.update(`${id}:${rowHash ? rowHash.toString('hex') : '-'}\n`);
  }

  addBytes(id: number, bytes: Buffer | null): void {
    this.addRow(id, bytes ? createHash('sha256').update(bytes).digest() : null);
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}
