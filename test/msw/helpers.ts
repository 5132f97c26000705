import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import type { SetupServer } from "msw/node";
import { setupServer } from "msw/node";
import { afterAll, beforeAll } from "vitest";
import type { HttpReplySnapshot } from "../../src/decode/index.js";
import { ErrorInfo_Kind } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  type FlyteHandlers,
  type FlyteHandlersOptions,
  flyteHandlers,
} from "../../src/msw/index.js";

/** Collapses consecutive repeats, as the server suite does. */
export { collapse } from "../testing/helpers.js";

/** One fetch-based transport the handlers must serve. */
export interface FetchTransportCase {
  readonly name: string;
  /** Short tag for run names. */
  readonly tag: string;
  readonly json: boolean;
  readonly make: (baseUrl: string, fetchFn?: typeof fetch) => Transport;
}

/** connect-web's transports: Connect binary, Connect JSON (its default), gRPC-Web binary. */
export const fetchTransports: readonly FetchTransportCase[] = [
  {
    name: "Connect binary over fetch",
    tag: "cb",
    json: false,
    make: (baseUrl, fetchFn) =>
      createConnectTransport({
        baseUrl,
        useBinaryFormat: true,
        ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
      }),
  },
  {
    name: "Connect JSON over fetch",
    tag: "cj",
    json: true,
    make: (baseUrl, fetchFn) =>
      createConnectTransport({
        baseUrl,
        useBinaryFormat: false,
        ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
      }),
  },
  {
    name: "gRPC-Web binary over fetch",
    tag: "gw",
    json: false,
    make: (baseUrl, fetchFn) =>
      createGrpcWebTransport({ baseUrl, ...(fetchFn === undefined ? {} : { fetch: fetchFn }) }),
  },
];

/** The mock and the msw server of one test file. */
export interface MockFlyte {
  flyte: FlyteHandlers;
  server: SetupServer;
}

/**
 * Starts msw with the Flyte handlers for the file's tests and stops it after them. Only
 * requests to the mock's host are policed; anything else passes through untouched, so
 * the patched fetch does not change other code in the worker.
 */
export function useMockFlyte(options: FlyteHandlersOptions & { baseUrl: string }): MockFlyte {
  const mock = {} as MockFlyte;
  const host = new URL(options.baseUrl).host;
  beforeAll(() => {
    mock.flyte = flyteHandlers(options);
    mock.server = setupServer(...mock.flyte);
    mock.server.listen({
      onUnhandledRequest(request, print) {
        if (new URL(request.url).host === host) print.error();
      },
    });
  });
  afterAll(() => {
    mock.server.close();
    mock.flyte.close();
  });
  return mock;
}

const podFailed = "Pod failed. No message received from kubernetes.";

/**
 * The exact ErrorInfo each failing outcome carries (FLYTE-FACTS section 5), written out
 * here rather than taken from the service's code, so a change there cannot pass unseen.
 */
export function expectedErrorInfo(
  outcome: string,
  run: string,
): { message: string; kind: ErrorInfo_Kind } | undefined {
  const { USER, SYSTEM, UNSPECIFIED } = ErrorInfo_Kind;
  switch (outcome) {
    case "user-error":
      return {
        message: [
          "Traceback (most recent call last):",
          '  File "/root/pipeline.py", line 41, in clean_rows',
          '    raise ValueError(f"row {i}: expected 3 columns, got {len(row)}")',
          "ValueError: row 17: expected 3 columns, got 2",
        ].join("\n"),
        kind: USER,
      };
    case "oom":
      return {
        message: `${podFailed}\r\n[${run}-a0-2] terminated with exit code (137). Reason [OOMKilled]. Message: \n.`,
        kind: USER,
      };
    case "image-pull-backoff":
      return {
        message: 'Grace period [3m0s] exceeded|Back-off pulling image "ghcr.io/acme/trainer:1.4.2"',
        kind: USER,
      };
    case "invalid-image":
      return {
        message:
          'Failed to apply default image tag "ghcr.io/acme/trainer::1.4.2": couldn\'t parse image reference "ghcr.io/acme/trainer::1.4.2": invalid reference format',
        kind: USER,
      };
    case "primary-container-not-found":
      return {
        message: `Primary container [${run}-a0-0] not found in pod's container statuses`,
        kind: USER,
      };
    case "interrupted":
      return {
        message: `${podFailed}\r\n[${run}-a0-0] terminated with exit code (137). Reason [Error]. Message: \nSIGKILL: node drained for spot preemption.\r\n[flyte-copilot-sidecar] terminated with ExitCode 0.`,
        kind: SYSTEM,
      };
    case "retries-exhausted":
      return { message: "task failed after 3 attempt(s)", kind: USER };
    case "timeout":
      return { message: "task execution timeout [5m0s] expired", kind: USER };
    case "system-error":
      return {
        message: `failed to read error file at [s3://flyte-data/metadata/flytesnacks/development/${run}/a0/0/error.pb]: object store unavailable`,
        kind: SYSTEM,
      };
    case "unknown-error":
      return { message: "task exited without reporting a result or an error", kind: UNSPECIFIED };
    default:
      return undefined;
  }
}

/** A run identifier in the default project and domain. */
export function runIdOf(name: string) {
  return { org: "", project: "flytesnacks", domain: "development", name };
}

/** What a capturing fetch saw of the last reply. */
export interface ReplyCapture {
  readonly fetch: typeof fetch;
  /** The last reply's status and content type, with its body when it was not an RPC reply. */
  last(): HttpReplySnapshot | undefined;
}

/**
 * A fetch that keeps the body of replies that are not RPC replies, as an application
 * does to hand `decodeRpcError` the evidence connect-web discards.
 */
export function captureReplies(): ReplyCapture {
  let last: HttpReplySnapshot | undefined;
  const capturing = async (
    input: Request | string | URL,
    init?: RequestInit,
  ): Promise<Response> => {
    const res = await fetch(input, init);
    const contentType = res.headers.get("content-type") ?? "";
    last = { status: res.status, contentType };
    if (res.status !== 200 || !/^application\/(grpc|connect\+|proto|json)/.test(contentType)) {
      last = { ...last, body: await res.clone().text() };
    }
    return res;
  };
  return { fetch: capturing as typeof fetch, last: () => last };
}
