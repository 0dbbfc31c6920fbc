/**
 * Deterministic "randomness" for `pgha synth`: every value the mocks invent (passwords, keys,
 * serial numbers) is derived from sha256(seed, purpose, resource name), so the same stack
 * config synthesizes byte-identical output, and two resources never share a value.
 */
import { createHash } from "node:crypto";

/** 32 bytes identifying one value: which stack (seed), what kind of value, which resource. */
export function derive32(seed: string, purpose: string, name: string): Buffer {
  return createHash("sha256").update(seed).update("\0").update(purpose).update("\0").update(name).digest();
}

/** An endless deterministic byte stream (sha256 in counter mode), for rejection sampling. */
export class DerivedStream {
  private block = Buffer.alloc(0);
  private pos = 0;
  private counter = 0;

  constructor(private readonly key: Buffer) {}

  nextByte(): number {
    if (this.pos >= this.block.length) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(this.counter++);
      this.block = createHash("sha256").update(this.key).update(c).digest();
      this.pos = 0;
    }
    return this.block[this.pos++];
  }

  /** Uniform integer in [0, n) for n <= 256 (rejects bytes that would bias the result). */
  below(n: number): number {
    if (n < 1 || n > 256) throw new RangeError(`below(${n}): n must be in 1..256`);
    const limit = 256 - (256 % n);
    for (;;) {
      const b = this.nextByte();
      if (b < limit) return b % n;
    }
  }
}
