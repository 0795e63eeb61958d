import { createHash } from 'node:crypto';

const PROBES = 4;

/**
 * Which strings were noted, in memory that does not grow: "no" is certain, "maybe" (a string
 * noted, or rarely a false alarm) is for the caller to check. A Bloom filter over SHA-256.
 */
export class SeenFilter {
  private readonly bits: Uint8Array;

  constructor(bytes = 4 * 1024 * 1024) {
    this.bits = new Uint8Array(bytes);
  }

  private *positions(value: string): Generator<number> {
    const digest = createHash('sha256').update(value).digest();
    for (let p = 0; p < PROBES; p++) yield digest.readUInt32LE(p * 4) % (this.bits.length * 8);
  }

  note(value: string): void {
    for (const bit of this.positions(value)) this.bits[bit >> 3]! |= 1 << (bit & 7);
  }

  mayHave(value: string): boolean {
    for (const bit of this.positions(value)) if ((this.bits[bit >> 3]! & (1 << (bit & 7))) === 0) return false;
    return true;
  }
}
