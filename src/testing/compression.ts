/**
 * gzip and brotli for the test server's connect handlers, on Node's zlib.
 *
 * @module
 */

import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";

function algorithm(
  name: string,
  compress: (bytes: Uint8Array) => Promise<Uint8Array>,
  decompress: (bytes: Uint8Array, options: zlib.ZlibOptions) => Promise<Uint8Array>,
): Compression {
  return {
    name,
    compress: async (bytes) => new Uint8Array(await compress(bytes)),
    async decompress(bytes, readMaxBytes) {
      if (bytes.length === 0) return new Uint8Array(0);
      try {
        return new Uint8Array(await decompress(bytes, { maxOutputLength: readMaxBytes }));
      } catch (cause) {
        const tooLarge = (cause as { code?: unknown | undefined }).code === "ERR_BUFFER_TOO_LARGE";
        throw new ConnectError(
          tooLarge
            ? `message is larger than ${readMaxBytes} bytes after decompression`
            : "decompression failed",
          tooLarge ? Code.ResourceExhausted : Code.InvalidArgument,
          undefined,
          undefined,
          cause,
        );
      }
    },
  };
}

export const compressionGzip: Compression = algorithm(
  "gzip",
  promisify(zlib.gzip),
  promisify(zlib.gunzip),
);

export const compressionBrotli: Compression = algorithm(
  "br",
  promisify(zlib.brotliCompress),
  promisify(zlib.brotliDecompress),
);
