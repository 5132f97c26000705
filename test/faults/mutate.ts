/**
 * Cheap byte mutations of real encodings, as a fuzzer applies them: bit flips, truncation,
 * splicing two encodings, inserted and overwritten bytes, and repeated chunks. Each keeps
 * most of the structure, so the parser goes deep before it meets the damage.
 */

import type { Rng } from "./rng.js";

/** Bytes that upset protobuf parsers: varint continuation, max lengths, wire type 7. */
const NASTY = [0x00, 0x7f, 0x80, 0xff, 0x0f, 0x07, 0x1f, 0x3a, 0xfe];

/** The names of the mutations, as {@link mutate} reports which it applied. */
export type MutationKind = "flip" | "truncate" | "splice" | "insert" | "overwrite" | "repeat";

/** One mutation of `input`, drawing on `corpus` for splices. Never returns `input` itself. */
export function mutate(
  input: Uint8Array,
  corpus: readonly Uint8Array[],
  rng: Rng,
): { bytes: Uint8Array; kind: MutationKind } {
  const kind = rng.pick<MutationKind>([
    "flip",
    "truncate",
    "splice",
    "insert",
    "overwrite",
    "repeat",
  ]);
  const n = input.length;
  switch (kind) {
    case "flip": {
      const out = input.slice();
      const flips = rng.int(1, 4);
      for (let i = 0; i < flips && n > 0; i++) {
        const at = rng.int(0, n - 1);
        out[at] = (out[at] ?? 0) ^ (1 << rng.int(0, 7));
      }
      return { bytes: out, kind };
    }
    case "truncate":
      return { bytes: input.slice(0, rng.int(0, Math.max(0, n - 1))), kind };
    case "splice": {
      const other = rng.pick(corpus);
      const a = rng.int(0, n);
      const b = rng.int(0, other.length);
      const out = new Uint8Array(a + other.length - b);
      out.set(input.subarray(0, a), 0);
      out.set(other.subarray(b), a);
      return { bytes: out, kind };
    }
    case "insert": {
      const at = rng.int(0, n);
      const count = rng.int(1, 8);
      const out = new Uint8Array(n + count);
      out.set(input.subarray(0, at), 0);
      for (let i = 0; i < count; i++) out[at + i] = rng.pick(NASTY);
      out.set(input.subarray(at), at + count);
      return { bytes: out, kind };
    }
    case "overwrite": {
      const out = input.slice();
      const count = rng.int(1, 4);
      for (let i = 0; i < count && n > 0; i++) out[rng.int(0, n - 1)] = rng.pick(NASTY);
      return { bytes: out, kind };
    }
    case "repeat": {
      if (n === 0) return { bytes: Uint8Array.of(rng.pick(NASTY)), kind };
      const from = rng.int(0, n - 1);
      const to = rng.int(from + 1, Math.min(n, from + 64));
      const chunk = input.subarray(from, to);
      const times = rng.int(2, 16);
      const out = new Uint8Array(n + chunk.length * times);
      out.set(input.subarray(0, to), 0);
      for (let i = 0; i < times; i++) out.set(chunk, to + i * chunk.length);
      out.set(input.subarray(to), to + chunk.length * times);
      return { bytes: out, kind };
    }
  }
}
