export type {
  ConnectionStats,
  KeepaliveOptions,
  Protocol,
  TlsOptions,
} from "../transport/connections.js";
export type { BackoffOptions } from "./backoff.js";
export type {
  ClientOptions,
  CreateRunOptions,
  FlyteClient,
  RunInfo,
} from "./client.js";
export { type Endpoint, parseEndpoint } from "./endpoint.js";
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
export type { FailureWindow, RetryOptions, Scope, WatchOptions } from "./settings.js";
export type { TokenOption } from "./token.js";
