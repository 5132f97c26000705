/**
 * flyte-remote/msw: the test service's Flyte RunService as msw request
 * handlers, for browser and fetch-based tests, plus HTTP-level faults that
 * only proxies and broken networks produce.
 *
 * @packageDocumentation
 */

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
