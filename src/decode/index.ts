/**
 * The decoding layer: pure functions from what the server or the transport produced to
 * the typed errors of `../errors`. Nothing here performs I/O or keeps state.
 */

export {
  type ActionDetailsInput,
  type DecodeContext,
  decodeActionDetails,
} from "./action-details.js";
export { isCallerAbort } from "./caller-abort.js";
export { classifyFailureMessage, type FailureFacts } from "./classify-failure.js";
export { type ContainerTermination, parseContainerLines } from "./container-lines.js";
export { decodeErrorDocument } from "./error-document.js";
export { decodeExecutionError } from "./execution-error.js";
export { isSuccessPhase, isTerminalPhase, phaseName } from "./phase.js";
export type { HttpReplySnapshot } from "./proxy-reply.js";
export type { RpcDetail } from "./rpc-details.js";
export { decodeRpcError, type RpcErrorContext } from "./rpc-error.js";
