/**
 * flyte-remote/testing: an in-process Flyte 2 RunService on real HTTP/2 and
 * HTTP/1.1, playing scripted outcomes and faults, for tests and demos.
 *
 * @packageDocumentation
 */

export type { TestServerAuth, TestServerAuthOptions } from "./auth-mode.js";
export {
  type DataVariantInfo,
  dataVariantCatalogue,
  type ErrorKindName,
  type FaultInfo,
  faultCatalogue,
  type OutcomeInfo,
  outcomeCatalogue,
  outcomeInfo,
  type ScenarioInfo,
  scenarioCatalogue,
} from "./catalogue.js";
export { type CorsOptions, corsAllowedHeaders, corsExposedHeaders } from "./cors.js";
export { lateLogMisses } from "./data-plane.js";
export * as failureText from "./failure-text.js";
export { streamDropCount, unavailableCount } from "./fault-plan.js";
export { createRunStore } from "./memory-run-store.js";
export { generateRunName, maxRunNameLength } from "./run-name.js";
export { defaultAbortReason, rpcAbortPrincipal, slowDownRetryDelayMs } from "./run-service.js";
export {
  type CreateRunInput,
  defaultRunDefaults,
  type HeldEvent,
  type RunDefaults,
  type RunStore,
  RunStoreError,
  type RunStoreEvents,
  type RunStoreOptions,
  type TerminalEvent,
} from "./run-store.js";
export {
  inputsUri,
  outputsUri,
  type SampleOutput,
  sampleBucket,
  sampleInterface,
  sampleOutputs,
  sampleTaskSpec,
} from "./sample-data.js";
export {
  DATA_VARIANTS,
  type DataVariantName,
  FAULTS,
  type FaultName,
  isDataVariantName,
  isFaultName,
  isOutcomeName,
  OUTCOMES,
  type OutcomeName,
  parseScenario,
  type Scenario,
} from "./scenario.js";
export { isTerminalDetails } from "./terminal.js";
export {
  defaultMaxConcurrentStreams,
  defaultReadMaxBytes,
  startTestServer,
  type TestServer,
  type TestServerOptions,
  type TestServerStats,
} from "./test-server.js";
export {
  abortingUser,
  invalidImage,
  missingImage,
  selfAbortReason,
  unknownPhaseNumber,
} from "./timeline.js";
