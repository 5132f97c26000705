/**
 * flyte-remote/msw: the test service's Flyte RunService as msw request
 * handlers, for browser and fetch-based tests, plus HTTP-level faults that
 * only proxies and broken networks produce. Nothing here needs Node: the
 * store and the catalogue are re-exported so a browser bundle need not
 * import `flyte-remote/testing`, which carries the node server.
 *
 * @packageDocumentation
 */

export {
  type FaultInfo,
  faultCatalogue,
  type OutcomeInfo,
  outcomeCatalogue,
  type ScenarioInfo,
  scenarioCatalogue,
} from "../testing/catalogue.js";
export { createRunStore } from "../testing/memory-run-store.js";
export type {
  CreateRunInput,
  HeldEvent,
  RunStore,
  RunStoreEvents,
  RunStoreOptions,
  TerminalEvent,
} from "../testing/run-store.js";
export { FAULTS, type FaultName, OUTCOMES, type OutcomeName } from "../testing/scenario.js";
export {
  defaultBaseUrl,
  type FlyteHandlers,
  type FlyteHandlersOptions,
  flyteHandlers,
} from "./flyte-handlers.js";
export {
  gatewayErrorPage,
  HTTP_FAULTS,
  type HttpFaultName,
  type HttpFaultRule,
  type HttpFaults,
  isHttpFaultName,
  type RunServiceMethodName,
  wrongContentTypeBody,
} from "./http-fault.js";
