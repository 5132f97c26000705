/**
 * A tiny RunService on loopback h2c for the RPC rows: each request names a scenario (the
 * run name), and the handler throws that scenario's ConnectError, with details and
 * metadata, as a real server would. Clients for all three protocols.
 */

import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import {
  type Client,
  ConnectError,
  createClient,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import { leanRunService } from "../../src/client/lean-run-service.js";
import { TokenSource } from "../../src/client/token.js";
import { ActionDetailsSchema } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { nodeAdapter } from "../support/node-adapter.js";
import { type NodeTransport, nodeTransport } from "../support/transports.js";

/** What a scenario's handler sees of the request. */
export interface Seen {
  readonly headers: Headers;
  readonly signal: AbortSignal;
  /** Headers and trailers the response will carry besides the error's own metadata. */
  readonly responseHeader: Headers;
  readonly responseTrailer: Headers;
}

/** Throws, or returns a promise that rejects, with the scenario's error. */
export type Scenario = (seen: Seen) => ConnectError | Promise<ConnectError>;

/**
 * The wire protocols, plus the client's lean gRPC path (`grpc lean`): the same gRPC
 * replies read without connect-es, which must decode to exactly the same errors.
 */
export const PROTOCOLS = ["connect", "grpc", "grpc-web", "grpc lean"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface TestServer {
  readonly baseUrl: string;
  client(protocol: Protocol, interceptors?: Interceptor[]): Client<typeof RunService>;
  close(): Promise<void>;
}

function seen(ctx: HandlerContext): Seen {
  return {
    headers: ctx.requestHeader,
    signal: ctx.signal,
    responseHeader: ctx.responseHeader,
    responseTrailer: ctx.responseTrailer,
  };
}

/** Starts the server; every RPC looks its scenario up by the run name in the request. */
export async function startServer(
  scenarios: Readonly<Record<string, Scenario>>,
): Promise<TestServer> {
  const fail = async (name: string | undefined, seen: Seen): Promise<never> => {
    const scenario = name === undefined ? undefined : scenarios[name];
    if (scenario === undefined) throw new ConnectError(`no scenario ${String(name)}`);
    throw await scenario(seen);
  };
  const handler = nodeAdapter({
    routes: (router) =>
      router.service(RunService, {
        getActionDetails: (req, ctx) => fail(req.actionId?.run?.name, seen(ctx)),
        createRun: (req, ctx) =>
          fail(req.id.case === "runId" ? req.id.value.name : undefined, seen(ctx)),
        async *watchActionDetails(req, ctx) {
          // One good message first: the error then arrives while the caller iterates.
          yield { details: create(ActionDetailsSchema, { id: req.actionId }) };
          await fail(req.actionId?.run?.name, seen(ctx));
        },
      }),
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const shared: Partial<Record<Protocol, NodeTransport>> = {};
  const made: NodeTransport[] = [];
  return {
    baseUrl,
    client(protocol, interceptors = []) {
      let transport = interceptors.length === 0 ? shared[protocol] : undefined;
      const wire = protocol === "grpc lean" ? "grpc" : protocol;
      if (transport === undefined) {
        transport = nodeTransport(baseUrl, { protocol: wire, httpVersion: "2", interceptors });
        made.push(transport);
        if (interceptors.length === 0) shared[protocol] = transport;
      }
      const client = createClient(RunService, transport.transport);
      // As in the client: interceptors, which the lean path would skip, keep connect-es.
      if (protocol !== "grpc lean" || transport.lean === undefined || interceptors.length > 0) {
        return client;
      }
      return leanRunService(client, transport.lean, new TokenSource(undefined));
    },
    async close() {
      for (const transport of made) transport.close();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The error a call rejects with; fails the test when the call succeeds. */
export async function rejection(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error("the call succeeded, but the scenario should have failed it");
}

/** Reads a server stream to its error. */
export async function streamRejection(
  stream: AsyncIterable<unknown>,
): Promise<{ error: unknown; received: number }> {
  let received = 0;
  try {
    for await (const _ of stream) received++;
  } catch (error) {
    return { error, received };
  }
  throw new Error("the stream ended cleanly, but the scenario should have failed it");
}
