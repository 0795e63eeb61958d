/**
 * Numbers the copies of identical records in one import file (the n-th copy is stored
 * with key "digest.n"), in memory that does not grow with the file: while the file is
 * checked, a fixed-size Bloom filter finds the digests that may have come before, and only
 * those are counted exactly while it is written. Digests are SHA-256, so their own bytes
 * serve as the filter's hash functions.
 */
const FILTER_BYTES = 8 * 1024 * 1024;
const PROBES = 4;

export class CopyCounter {
  private readonly filter = new Uint8Array(FILTER_BYTES);
  /** Digests seen more than once (or a rare false alarm of the filter), with the copies written so far. */
  private readonly repeated = new Map<string, number>();

  /** While checking: notes a record's digest. */
  note(digest: Buffer): void {
    let seen = true;
    for (let p = 0; p < PROBES; p++) {
      const bit = digest.readUInt32LE(p * 4) % (FILTER_BYTES * 8);
      const mask = 1 << (bit & 7);
      if ((this.filter[bit >> 3]! & mask) === 0) {
        seen = false;
        this.filter[bit >> 3]! |= mask;
      }
    }
    if (seen) this.repeated.set(digest.toString('base64url'), 0);
  }

  /** While writing, in the same order: which copy of its record this one is (1 for the first). */
  copyNumber(digest: string): number {
    const before = this.repeated.get(digest);
    if (before === undefined) return 1;
    this.repeated.set(digest, before + 1);
    return before + 1;
  }
}
