/**
 * Rewrites the enveloped frames of a streaming response body: spoils frames a
 * fault marked, and passes the rest through an optional mutation hook. It
 * works on connect's universal response body, so any transport built on
 * connect's universal handlers (node, fetch, msw) can use it.
 *
 * @module
 */

/** Options of {@link transformFrames}. */
export interface FrameTransformOptions {
  /** Indexes of data frames to replace with bytes that do not parse. */
  readonly corrupt: ReadonlySet<number>;
  /** Whether the response codec is JSON (the garbage differs). */
  readonly json: boolean;
  /** Called with each data frame's (uncompressed) message bytes; a returned array replaces them. */
  readonly mutate?:
    | ((encoded: Uint8Array, info: { method: string; index: number }) => Uint8Array | undefined)
    | undefined;
  readonly method: string;
}

const flagCompressed = 0x01;
const flagEndStream = 0x02;
const flagTrailer = 0x80;

/**
 * Protobuf bytes that fail to parse: field 1 as a 100-byte length-delimited
 * value with one byte behind it, so every reader hits a premature end.
 */
export const malformedProtobuf: Uint8Array = new Uint8Array([0x0a, 0x64, 0x08]);
/** JSON that fails to parse: an object cut off after its first key. */
export const malformedJson: Uint8Array = new TextEncoder().encode('{"details":');

function envelope(flags: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/**
 * Yields the body again, frame by frame, with marked frames spoiled and the
 * others mutated. Frames are re-split from any chunking, so one output chunk
 * is one envelope. End-of-stream and trailer frames pass untouched.
 */
export async function* transformFrames(
  body: AsyncIterable<Uint8Array>,
  options: FrameTransformOptions,
): AsyncGenerator<Uint8Array> {
  let buffer: Uint8Array = new Uint8Array(0);
  let index = 0;
  for await (const chunk of body) {
    buffer = concat(buffer, chunk);
    while (buffer.byteLength >= 5) {
      const flags = buffer[0] ?? 0;
      const length = new DataView(buffer.buffer, buffer.byteOffset, 5).getUint32(1);
      if (buffer.byteLength < 5 + length) break;
      const data = buffer.subarray(5, 5 + length);
      buffer = buffer.subarray(5 + length);
      if ((flags & (flagEndStream | flagTrailer)) !== 0) {
        yield envelope(flags, data);
        continue;
      }
      const i = index++;
      if (options.corrupt.has(i)) {
        yield envelope(0, options.json ? malformedJson : malformedProtobuf);
        continue;
      }
      const mutated =
        options.mutate !== undefined && (flags & flagCompressed) === 0
          ? options.mutate(data.slice(), { method: options.method, index: i })
          : undefined;
      yield envelope(flags, mutated ?? data);
    }
  }
  if (buffer.byteLength > 0) yield buffer;
}
