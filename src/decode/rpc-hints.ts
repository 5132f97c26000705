/**
 * Hints for failed RPCs, chosen by the status code and the evidence, not by the class.
 *
 * UnionRpcError carries every code from CANCELED to DATA_LOSS, and what a person should do
 * differs: an UNAVAILABLE server answers again shortly, an INVALID_ARGUMENT request fails
 * the same way every time, and DATA_LOSS must not be retried at all.
 */

import { Code } from "@connectrpc/connect";

/** The hint for a UnionRpcError of `code`; `undefined` keeps the class's. */
export function rpcHint(code: Code): string | undefined {
  switch (code) {
    case Code.Canceled:
      return "The call was cancelled before it finished, often by a proxy resetting the stream: retry it.";
    case Code.Unknown:
      return "The server failed without saying why: retry once; if it repeats, report it with err.traceId.";
    case Code.InvalidArgument:
      return "The server rejected the request as invalid: fix what the message (and err.fieldErrors) names; the same request fails the same way.";
    case Code.DeadlineExceeded:
      return "The call did not finish in time: retry it, or allow it a longer deadline.";
    case Code.AlreadyExists:
      return "What the call would create already exists: use another name, or fetch the existing one.";
    case Code.FailedPrecondition:
      return "The server refused the call in the current state (for example, the run already ended): check the state first; the same request will not succeed.";
    case Code.Aborted:
      return "The server aborted the call because of a concurrent change: retry it.";
    case Code.OutOfRange:
      return "A value in the request is out of range: fix it, then call again.";
    case Code.Unimplemented:
      return "The server does not implement this call: check that the endpoint is a Flyte 2 server of a version this client supports.";
    case Code.Internal:
      return "The server hit an internal error: retry; if it repeats, report it with err.traceId.";
    case Code.Unavailable:
      return "The server is unavailable: check connectivity to the endpoint and retry; a restarting server answers again shortly.";
    case Code.DataLoss:
      return "The server reports lost or corrupted data: do not retry; report it to your Flyte administrator with err.traceId.";
    default:
      return undefined;
  }
}

/**
 * The hint for a connection that failed below the RPC, by the Node error code. (A host that
 * does not exist and an untrusted certificate get theirs where rpc-error.ts decodes them.)
 */
export function networkHint(code: string): string {
  if (code === "EAI_AGAIN") {
    return "The endpoint's host name did not resolve for now (EAI_AGAIN): check DNS, then retry.";
  }
  if (code === "ECONNREFUSED") {
    return "Nothing accepted the connection at the endpoint (ECONNREFUSED): check the host and port, and that the server runs.";
  }
  return `The connection to the endpoint failed (${code}): check the network and any proxy in between, then retry.`;
}

/** The hint for a reply that was not a Flyte RPC reply, by its HTTP status. */
export function foreignReplyHint(status: number | undefined): string {
  if (status === 404 || status === 405 || status === 501) {
    return "The endpoint does not serve the Flyte API at this address: check the endpoint URL, and the routes of any proxy in front of it.";
  }
  if (status === 502 || status === 503 || status === 504) {
    return "A proxy or gateway in front of Flyte failed to reach it: retry; if it persists, check the gateway and the Flyte service behind it.";
  }
  return "Something other than the Flyte server answered: check the endpoint URL and any proxy or gateway in front of it.";
}

/** The hints of the create-run wrappers, which name what to change about the run. */
export const CREATE_RUN_HINTS = {
  InvalidArgumentError:
    "The server rejected the run's spec or inputs: fix what the message (and err.fieldErrors) names, then create the run again.",
  RunAlreadyExistsError:
    "A run with this name already exists: choose another name, or leave the name out so the server picks one.",
  SystemUnavailableError:
    "The Flyte service is unavailable: check the endpoint, your configuration and the service's status, then retry.",
} as const;
