/**
 * flyte-remote for Node, chosen by the `node` export condition: everything of the
 * universal entry, with `createClient` on Node's HTTP/2, which follows each server's stream
 * limit, keepalive rules and GOAWAY.
 */
import type { ClientOptions, FlyteClient } from "./client/client.js";
import { createClientWith } from "./client/client.js";
import { createNodeConnections } from "./transport/node/node-connections.js";

export * from "./index.js";

/**
 * Creates a client of one Flyte endpoint over Node's HTTP/2 (gRPC by default). Throws
 * InitializationError, saying what to set, when neither an endpoint nor a transport is
 * given or the options cannot work together. Close it when done, to release its
 * connections.
 */
export function createClient(options: ClientOptions): FlyteClient {
  return createClientWith(options, {
    connections: createNodeConnections,
    protocol: "grpc",
    strategy: "stream",
  });
}
