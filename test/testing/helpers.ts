import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as connectHttp2,
} from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { type Client, type Code, ConnectError, createClient } from "@connectrpc/connect";
import type { RunIdentifier } from "../../src/gen/flyteidl2/common/identifier_pb.js";
import {
  RunService,
  WatchActionDetailsRequestSchema,
} from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { type NodeTransport, nodeTransport } from "../support/transports.js";

/** One protocol/HTTP version/codec combination the server must speak. */
export interface ProtocolCase {
  readonly name: string;
  /** Short tag for run names. */
  readonly tag: string;
  readonly httpVersion: "1.1" | "2";
  readonly make: (baseUrl: string) => NodeTransport;
}

/** Every protocol, on HTTP/2 and on HTTP/1.1 where the protocol allows it. */
export const protocolCases: readonly ProtocolCase[] = [
  {
    name: "Connect binary over HTTP/2",
    tag: "c2",
    httpVersion: "2",
    make: (baseUrl) => nodeTransport(baseUrl, { protocol: "connect", httpVersion: "2" }),
  },
  {
    name: "Connect binary over HTTP/1.1",
    tag: "c1",
    httpVersion: "1.1",
    make: (baseUrl) => nodeTransport(baseUrl, { protocol: "connect", httpVersion: "1.1" }),
  },
  {
    name: "Connect JSON over HTTP/1.1",
    tag: "cj",
    httpVersion: "1.1",
    make: (baseUrl) =>
      nodeTransport(baseUrl, { protocol: "connect", httpVersion: "1.1", useBinaryFormat: false }),
  },
  {
    name: "gRPC over HTTP/2",
    tag: "g2",
    httpVersion: "2",
    make: (baseUrl) => nodeTransport(baseUrl, { protocol: "grpc", httpVersion: "2" }),
  },
  {
    name: "gRPC-Web over HTTP/2",
    tag: "w2",
    httpVersion: "2",
    make: (baseUrl) => nodeTransport(baseUrl, { protocol: "grpc-web", httpVersion: "2" }),
  },
  {
    name: "gRPC-Web over HTTP/1.1",
    tag: "w1",
    httpVersion: "1.1",
    make: (baseUrl) => nodeTransport(baseUrl, { protocol: "grpc-web", httpVersion: "1.1" }),
  },
];

/** A generated RunService client plus the connections to close after the test. */
export interface TestClient {
  readonly client: Client<typeof RunService>;
  close(): void;
}

/** Makes a generated client for a protocol case. */
export function makeClient(protocol: ProtocolCase, baseUrl: string): TestClient {
  const made = protocol.make(baseUrl);
  return { client: createClient(RunService, made.transport), close: () => made.close() };
}

/** Collapses consecutive repeats: [1,3,3,4] -> [1,3,4]. */
export function collapse(phases: readonly number[]): number[] {
  return phases.filter((p, i) => i === 0 || phases[i - 1] !== p);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The RPC code a call failed with, or undefined when it succeeded. */
export async function codeOf(p: Promise<unknown>): Promise<Code | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e).code,
  );
}

/** Polls `probe` until it holds; for state that settles asynchronously (socket closes). */
export async function eventually(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (probe()) return;
    await sleep(10);
  }
  throw new Error(`never happened: ${what}`);
}

/** Opens a plain node HTTP/2 session, to look at frames a connect client hides. */
export function rawSession(baseUrl: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(baseUrl);
    session.once("error", reject);
    session.once("remoteSettings", () => {
      session.off("error", reject);
      session.on("error", () => {});
      resolve(session);
    });
  });
}

/** What a raw gRPC watch saw. */
export interface RawWatch {
  readonly stream: ClientHttp2Stream;
  /** Response headers, once they arrived. */
  headers: Record<string, unknown> | undefined;
  /** DATA bytes received so far. */
  bytes: number;
  /** RST_STREAM code once the stream closed. */
  closed: Promise<number>;
  /** Resolves at the first DATA chunk. */
  firstData: Promise<void>;
}

/** Starts WatchActionDetails over raw gRPC on a session. */
export function rawGrpcWatch(session: ClientHttp2Session, run: RunIdentifier): RawWatch {
  const stream = session.request({
    ":method": "POST",
    ":path": "/flyteidl2.workflow.RunService/WatchActionDetails",
    "content-type": "application/grpc+proto",
    te: "trailers",
  });
  const message = toBinary(
    WatchActionDetailsRequestSchema,
    create(WatchActionDetailsRequestSchema, { actionId: { run, name: "a0" } }),
  );
  const frame = Buffer.alloc(5 + message.byteLength);
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  stream.end(frame);
  let onFirst: () => void = () => {};
  const watch: RawWatch = {
    stream,
    headers: undefined,
    bytes: 0,
    closed: new Promise((resolve) => stream.once("close", () => resolve(stream.rstCode ?? -1))),
    firstData: new Promise((resolve) => {
      onFirst = resolve;
    }),
  };
  stream.on("response", (h) => {
    watch.headers = h;
  });
  stream.on("data", (chunk: Buffer) => {
    watch.bytes += chunk.byteLength;
    onFirst();
  });
  stream.on("error", () => {});
  return watch;
}
