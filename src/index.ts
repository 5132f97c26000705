/**
 * flyte-remote: a TypeScript client for Flyte 2 whose failures are typed.
 *
 * The root entry point carries the client, the decoders and the error model. The error
 * model alone, with no Node dependency, is also at `flyte-remote/errors`; the local test
 * server is at `flyte-remote/testing` and the msw handlers at `flyte-remote/msw`.
 */
export * from "./client/index.js";
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
