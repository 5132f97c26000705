/**
 * The part of the client pages shared by the msw page and the test-server page: a
 * flyte-remote client as a web app builds it, and `run.wait()` turned into plain values
 * the Node side can assert on.
 */

import type { Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import * as flyte from "flyte-remote";
import type { PageError, PageOutcome, PageProtocol, PageRun } from "./page-api.js";

/** Quick backoff, and an idle timeout a test can wait out. */
const testSettings = {
  retry: { baseMs: 20, maxMs: 200 },
  watch: { backoff: { baseMs: 20, maxMs: 200 }, idleTimeoutMs: 1_000, pollIntervalMs: 50 },
} as const;

/**
 * The page's client. `connect` is the universal entry's default, `createClient({ endpoint })`
 * with nothing else: connect-web, Connect binary. `grpc-web` only names the protocol.
 * `connect-json` brings connect-web's JSON transport, the one a web app already using
 * connect-web might pass; `createClient` leaves a given transport as it is (its `token`
 * included), so the bearer token rides on the transport's own interceptor.
 */
export function pageClient(baseUrl: string, protocol: PageProtocol, token?: string) {
  const auth = token === undefined ? {} : { token };
  if (protocol === "connect")
    return flyte.createClient({ endpoint: baseUrl, ...auth, ...testSettings });
  if (protocol === "grpc-web") {
    return flyte.createClient({ endpoint: baseUrl, protocol, ...auth, ...testSettings });
  }
  const bearer: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
  const transport = createConnectTransport({
    baseUrl,
    useBinaryFormat: false,
    interceptors: token === undefined ? [] : [bearer],
  });
  return flyte.createClient({ transport, ...testSettings });
}

function pageError(error: unknown): PageError {
  if (!flyte.isFlyteError(error)) {
    return {
      name: error instanceof Error ? error.name : typeof error,
      isFlyteError: false,
      instanceOfClass: false,
      kind: "",
      code: "",
      retryable: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const cls = (flyte as unknown as Record<string, unknown>)[error.name];
  return {
    name: error.name,
    isFlyteError: true,
    instanceOfClass:
      typeof cls === "function" && error instanceof (cls as abstract new () => unknown),
    kind: error.kind,
    code: error.code,
    retryable: error.retryable,
    message: error.message.slice(0, 500),
  };
}

/** Creates the run and waits on it; never rejects. */
export async function runAndWait(client: flyte.FlyteClient, run: PageRun): Promise<PageOutcome> {
  const phases: string[] = [];
  try {
    const handle = await client.createRun({ task: { name: run.task }, name: run.name });
    let aborting = false;
    const result = await handle.wait({
      timeoutMs: run.timeoutMs ?? 20_000,
      onPhase(update) {
        phases.push(update.phaseName);
        if (update.phaseName === run.abortAtPhase && !aborting) {
          aborting = true;
          handle.abort("the browser test aborts runs that wait for a signal").catch((error) => {
            phases.push(`abort failed: ${String(error)}`);
          });
        }
      },
    });
    return { resolved: true, phases, phaseName: result.phaseName };
  } catch (error) {
    return { resolved: false, phases, error: pageError(error) };
  }
}
