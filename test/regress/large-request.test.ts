/**
 * A server may answer before it has read the whole request (RFC 9113 §8.1): a request too
 * large for it is refused at once, and the server stops reading the rest. The client's side
 * of the stream then stays blocked by flow control; the call must still end with the
 * server's answer, not hang.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InlineIOMaxBytesBreached } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { settle, until, within } from "../infra/bounded.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ speed: 1_000, readMaxBytes: 32 * 1024 });
});
afterAll(async () => {
  await server.close();
});

describe("a request larger than the server reads", () => {
  it.each([
    ["grpc", "2"],
    ["connect", "2"],
    ["connect", "1.1"],
  ] as const)(
    "is refused with the server's own answer over %s HTTP/%s, beyond the 64 KiB stream window",
    async (protocol, httpVersion) => {
      const client = createClient({
        endpoint: server.url,
        protocol,
        httpVersion,
        project: "flytesnacks",
        domain: "development",
        retry: false,
      });
      try {
        const outcome = await within(
          10_000,
          "createRun of a 256 KiB request",
          settle(
            client.createRun({
              task: { name: "succeed" },
              inputs: { blob: "x".repeat(256 * 1024) },
            }),
          ),
        );
        expect(outcome.ok).toBe(false);
        const error = outcome.ok ? undefined : outcome.error;
        expect(error).toBeInstanceOf(InlineIOMaxBytesBreached);
        // The rest of the request is cancelled, and the stream's slot given back.
        await until(2_000, "the stream released", () => client.stats().activeStreams === 0);
      } finally {
        await client.close();
      }
    },
  );
});
