/**
 * Regression test for a bug the restart suite found (about one run in three, one wait of
 * 280): when a server goes away mid-stream, Node's HTTP/2 client can see the gRPC response
 * end without trailers. connect reports that as INTERNAL "protocol error: missing status",
 * and wait() used to reject with it although the run went on to succeed.
 *
 * Here a bare HTTP/2 server plays it exactly: the first WatchActionDetails answers one
 * RUNNING message and ends the stream with no grpc-status; the second answers SUCCEEDED
 * with a proper status. A watch is idempotent, and a stream cut like this is the same
 * network fault as a reset, so wait() must re-subscribe.
 */

import { createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { WatchActionDetailsResponseSchema } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { createClient } from "../../src/index.node.js";

function frame(phase: ActionPhase): Buffer {
  const message = toBinary(
    WatchActionDetailsResponseSchema,
    create(WatchActionDetailsResponseSchema, {
      details: {
        id: { run: { project: "p", domain: "d", name: "r1" }, name: "a0" },
        status: { phase, attempts: 1 },
      },
    }),
  );
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, Buffer.from(message)]);
}

describe("a gRPC stream that ends without a status", () => {
  it("is re-subscribed, not surfaced from wait()", async () => {
    let watches = 0;
    const server: Http2Server = createServer((req, res) => {
      req.resume();
      if (!req.url.endsWith("/WatchActionDetails")) {
        res.writeHead(200, { "content-type": "application/grpc", "grpc-status": "12" });
        res.end();
        return;
      }
      watches++;
      if (watches === 1) {
        res.writeHead(200, { "content-type": "application/grpc" });
        res.end(frame(ActionPhase.RUNNING));
        return;
      }
      res.writeHead(200, { "content-type": "application/grpc" });
      res.addTrailers({ "grpc-status": "0" });
      res.end(frame(ActionPhase.SUCCEEDED));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = createClient({
      endpoint: `http://127.0.0.1:${port}`,
      project: "p",
      domain: "d",
      watch: { backoff: { baseMs: 10, maxMs: 10 } },
    });
    try {
      const result = await client
        .getRun("r1")
        .wait({ timeoutMs: 5_000 })
        .then(
          (r) => r.phaseName,
          (e: unknown) => String(e),
        );
      expect(result).toBe("SUCCEEDED");
      expect(watches).toBe(2);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
