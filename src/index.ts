/**
 * flyte-remote: a TypeScript client for Flyte 2 whose failures are typed.
 *
 * This is the universal entry point: browsers, Web Workers, Deno, Bun and edge runtimes get
 * it, and nothing it reaches imports a `node:` module. Its `createClient` talks over the
 * runtime's `fetch` (connect-web, Connect protocol by default). Node gets `index.node.js`
 * through the `node` export condition instead: the same API, with `createClient` on Node's
 * own HTTP/2.
 *
 * It also carries the authenticators that need only `fetch` (`createClient({ auth })`). The
 * error model alone is also at `flyte-remote/errors`; the Flyte config file and the sign-in
 * pieces that need Node are at `flyte-remote/config`; the local test server is at
 * `flyte-remote/testing` and the msw handlers at `flyte-remote/msw`.
 */
import type { ClientOptions, FlyteClient } from "./client/client.js";
import { createClientWith } from "./client/client.js";
import { createFetchConnections } from "./transport/fetch/fetch-connections.js";

export * from "./auth/index.js";
export * from "./client/index.js";
export * from "./data/index.js";
export * from "./decode/index.js";
export * from "./errors/index.js";
export { ActionPhase } from "./gen/flyteidl2/common/phase_pb.js";
export type {
  AbortInfo,
  ActionAttempt,
  ActionDetails,
  ActionStatus,
  ErrorInfo,
  RunDetails,
} from "./gen/flyteidl2/workflow/run_definition_pb.js";
export type { LogLine, LogOriginator, LogsOptions } from "./logs/index.js";

/**
 * Creates a client of one Flyte endpoint over `fetch`. Waits share one WatchRuns stream
 * per project and domain by default (`watch.strategy: "multiplex"`). Throws
 * InitializationError, saying
 * what to set, when neither an endpoint nor a transport is given or the options cannot
 * work together (gRPC, which needs trailers that fetch cannot read).
 */
export function createClient(options: ClientOptions): FlyteClient {
  return createClientWith(options, {
    connections: createFetchConnections,
    protocol: "connect",
    // A browser holds six HTTP/1.1 connections per origin and queues HTTP/2 streams past
    // the server's limit: a stream per wait would soon leave no room for anything else.
    strategy: "multiplex",
  });
}
