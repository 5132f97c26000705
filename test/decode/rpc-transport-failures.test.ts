/**
 * The rows a Flyte server cannot produce on purpose: the network failing under the call,
 * and something that is not a Flyte server answering it.
 */

import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport as createWebConnectTransport } from "@connectrpc/connect-web";
import { afterEach, describe, expect, it } from "vitest";
import { decodeRpcError, type HttpReplySnapshot } from "../../src/decode/index.js";
import { SlowDownError, UnionRpcError } from "../../src/errors/failure.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { nodeTransport } from "../support/transports.js";
import { rejection, streamRejection } from "./rpc-server.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Make = (options: { baseUrl: string; httpVersion: "1.1" | "2" }) => Transport;

/** A transport of flyte-remote's own Node stack, closed after the test. */
function maker(protocol: "connect" | "grpc" | "grpc-web"): Make {
  return ({ baseUrl, httpVersion }) => {
    const made = nodeTransport(baseUrl, { protocol, httpVersion });
    cleanups.push(async () => made.close());
    return made.transport;
  };
}
const createConnectTransport = maker("connect");
const createGrpcWebTransport = maker("grpc-web");
const transports: [string, Make, ("1.1" | "2")[]][] = [
  ["connect", createConnectTransport, ["1.1", "2"]],
  // The gRPC transport always speaks HTTP/2.
  ["grpc", maker("grpc"), ["2"]],
  ["grpc-web", createGrpcWebTransport, ["1.1", "2"]],
];

const request = { actionId: { run: { name: "r1" }, name: "a0" } };

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** Closes a server and whatever connections it still holds. */
function track(server: net.Server, sockets = new Set<net.Socket>()): void {
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

const PAGE = `<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center>${" padding".repeat(60)}</body></html>`;

/** An HTTP/1.1 server that answers every request with `status`, `type` and `body`. */
async function h1Proxy(status: number, type: string, headers: Record<string, string> = {}) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": type, ...headers });
      res.end(PAGE);
    });
  });
  track(server);
  return listen(server);
}

/** The same over h2c. */
async function h2Proxy(status: number, type: string) {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  server.on("stream", (stream) => {
    stream.resume();
    stream.on("end", () => {
      stream.respond({ ":status": status, "content-type": type });
      stream.end(PAGE);
    });
  });
  cleanups.push(async () => {
    for (const s of sessions) s.destroy();
  });
  track(server);
  return listen(server);
}

function expectUnavailable(error: unknown, thrown: unknown, networkCode: string | RegExp) {
  expect(error).toBeInstanceOf(UnionRpcError);
  const e = error as UnionRpcError;
  expect(e.name).toBe("UnionRpcError");
  expect(e.code).toBe("UNAVAILABLE");
  expect(e.rpcCode).toBe(14);
  expect(e.kind).toBe("system");
  expect(e.retryable).toBe(true);
  expect(e.cause).toBe(thrown);
  expect((e.details.network as { code: string }).code).toMatch(networkCode);
}

describe("network failures", () => {
  for (const [name, make, versions] of transports) {
    for (const httpVersion of versions) {
      it(`${name} over HTTP/${httpVersion}: a closed port is UNAVAILABLE with ECONNREFUSED kept`, async () => {
        const spare = net.createServer();
        const baseUrl = await listen(spare);
        await new Promise<void>((resolve) => spare.close(() => resolve()));
        const client = createClient(RunService, make({ baseUrl, httpVersion }));
        const thrown = await rejection(() => client.getActionDetails(request));
        const error = decodeRpcError(thrown, { method: "GetActionDetails" });
        expectUnavailable(error, thrown, "ECONNREFUSED");
        expect(error.rawMessage).toMatch(
          /^GetActionDetails: the connection failed \(ECONNREFUSED\)/,
        );
      });

      it(`${name} over HTTP/${httpVersion}: a server that destroys the socket is UNAVAILABLE`, async () => {
        const server = net.createServer((socket) => socket.destroy());
        track(server);
        const baseUrl = await listen(server);
        const client = createClient(RunService, make({ baseUrl, httpVersion }));
        const thrown = await rejection(() => client.getActionDetails(request));
        expectUnavailable(decodeRpcError(thrown), thrown, /^(EPIPE|ECONNRESET|ERR_HTTP2_\w+)$/);
      });
    }
  }
});

describe("replies that are not from a Flyte server", () => {
  for (const [name, make, versions] of transports) {
    for (const httpVersion of versions) {
      const proxy = httpVersion === "2" ? h2Proxy : h1Proxy;

      it(`${name} over HTTP/${httpVersion}: an HTML 502 page is a retryable system UnionRpcError`, async () => {
        const client = createClient(
          RunService,
          make({ baseUrl: await proxy(502, "text/html"), httpVersion }),
        );
        for (const thrown of [
          await rejection(() => client.getActionDetails(request)),
          (await streamRejection(client.watchActionDetails(request))).error,
        ]) {
          const error = decodeRpcError(thrown, { method: "WatchActionDetails" });
          expect(error).toBeInstanceOf(UnionRpcError);
          expect(error.name).toBe("UnionRpcError");
          expect(error.kind).toBe("system");
          expect(error.retryable).toBe(true);
          expect(error.code).toBe("UNAVAILABLE");
          expect(error.rawMessage).toContain("HTTP 502 (text/html)");
          expect(error.details.httpStatus).toBe(502);
        }
      });

      it(`${name} over HTTP/${httpVersion}: HTTP 200 with the wrong content type is a retryable system UnionRpcError`, async () => {
        const client = createClient(
          RunService,
          make({ baseUrl: await proxy(200, "text/html"), httpVersion }),
        );
        const thrown = await rejection(() => client.getActionDetails(request));
        const error = decodeRpcError(thrown);
        expect(error.name).toBe("UnionRpcError");
        expect(error.kind).toBe("system");
        expect(error.retryable).toBe(true);
        expect(error.rawMessage).toContain("instead of a Flyte RPC reply");
        // A broken envelope must not read as the caller's INVALID_ARGUMENT.
        expect(error.code).not.toBe("INVALID_ARGUMENT");
      });
    }
  }

  it("401 from a proxy is an AuthenticationError, 403 a PermissionDeniedError", async () => {
    for (const [status, name] of [
      [401, "AuthenticationError"],
      [403, "PermissionDeniedError"],
    ] as const) {
      const client = createClient(
        RunService,
        createConnectTransport({ baseUrl: await h1Proxy(status, "text/html"), httpVersion: "1.1" }),
      );
      const error = decodeRpcError(await rejection(() => client.getActionDetails(request)));
      expect(error.name).toBe(name);
      expect(error.retryable).toBe(false);
      expect(error.rawMessage).toContain(`HTTP ${status}`);
    }
  });

  it("429 from a proxy is a ResourceExhaustedError honouring Retry-After", async () => {
    const baseUrl = await h1Proxy(429, "text/html", { "retry-after": "12" });
    const client = createClient(
      RunService,
      createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
    );
    const error = decodeRpcError(await rejection(() => client.getActionDetails(request)));
    expect(error.name).toBe("ResourceExhaustedError");
    expect(error).toBeInstanceOf(SlowDownError);
    expect(error.kind).toBe("system");
    expect(error.retryable).toBe(true);
    expect((error as SlowDownError).retryAfterMs).toBe(12_000);
  });

  it("404 from a proxy is not retryable: the path does not exist there", async () => {
    const client = createClient(
      RunService,
      createConnectTransport({ baseUrl: await h1Proxy(404, "text/html"), httpVersion: "1.1" }),
    );
    const error = decodeRpcError(await rejection(() => client.getActionDetails(request)));
    expect(error.name).toBe("UnionRpcError");
    expect(error.code).toBe("UNIMPLEMENTED");
    expect(error.retryable).toBe(false);
  });

  it("quotes the first 200 characters of a body that the transport captured", async () => {
    const baseUrl = await h1Proxy(502, "text/html; charset=utf-8");
    // A fetch wrapper is how a browser-style transport can keep what Connect-ES drops.
    let captured: HttpReplySnapshot | undefined;
    const fetchAndKeep: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const type = response.headers.get("content-type") ?? "";
      if (!type.startsWith("application/")) {
        captured = {
          status: response.status,
          contentType: type,
          body: await response.clone().text(),
        };
      }
      return response;
    };
    const client = createClient(
      RunService,
      createWebConnectTransport({ baseUrl, fetch: fetchAndKeep }),
    );
    const thrown = await rejection(() => client.getActionDetails(request));
    const error = decodeRpcError(thrown, {
      method: "GetActionDetails",
      ...(captured ? { response: captured } : {}),
    });
    expect(error.name).toBe("UnionRpcError");
    expect(error.retryable).toBe(true);
    const quoted = PAGE.replace(/\s+/g, " ").slice(0, 200);
    expect(error.rawMessage).toContain(`HTTP 502 (text/html; charset=utf-8)`);
    expect(error.rawMessage).toContain(`: "${quoted}"`);
    expect(error.rawMessage).not.toContain(PAGE.replace(/\s+/g, " ").slice(0, 201));
    expect(error.details.body).toBe(quoted);
  });

  it("quotes a body carried down the cause chain", () => {
    const carried = Object.assign(new Error("bad gateway"), {
      status: 503,
      body: new TextEncoder().encode("<h1>upstream down</h1>"),
    });
    const error = decodeRpcError(new TypeError("fetch failed", { cause: carried }));
    expect(error.name).toBe("UnionRpcError");
    expect(error.rawMessage).toContain(
      'HTTP 503 instead of a Flyte RPC reply; a proxy or gateway may be in the way: "<h1>upstream down</h1>"',
    );
  });
});
