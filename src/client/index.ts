export type { BackoffOptions } from "./backoff.js";
export {
  type ClientOptions,
  type CreateRunOptions,
  createClient,
  type FlyteClient,
  type RunInfo,
} from "./client.js";
export type { Scope, WatchOptions } from "./client-core.js";
export type { Protocol } from "./connection-pool.js";
export { type Endpoint, parseEndpoint } from "./endpoint.js";
export { type DurationInput, duration, type FloatInput, float, type InputValue } from "./inputs.js";
export {
  type PollingErrorContext,
  type PollingErrorHook,
  silenceGrpcPollingError,
} from "./polling-error.js";
export {
  ActionHandle,
  type ActionSummary,
  Run,
  type RunId,
  type RunResult,
  type RunUpdate,
  type WaitOptions,
  type WatchCallOptions,
} from "./run.js";
export type { TokenOption } from "./token.js";
export type { RetryOptions } from "./unary-call.js";
