/**
 * Every path of the decoders gives a hint a person would find right: one per RPC code and
 * evidence, per create-run outcome, per conversion, and per action outcome. The backend's
 * message texts have theirs in backend-texts.test.ts.
 */

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  decodeActionDetails,
  decodeErrorDocument,
  decodeExecutionError,
  decodeRpcError,
} from "../../src/decode/index.js";
import { ResourceExhaustedError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { ErrorDocumentSchema } from "../../src/gen/flyteidl2/core/execution_pb.js";
import { actionDetails } from "./fixtures.js";

/** The old one-size hint of UnionRpcError, wrong for most codes. */
const PROMISES_RETRY = /transient failures succeed on retry/i;

describe("RPC failures: the hint follows the code", () => {
  it.each([
    [Code.Canceled, /retry it/],
    [Code.Unknown, /retry once/],
    [Code.InvalidArgument, /same request fails the same way/],
    [Code.DeadlineExceeded, /longer deadline/],
    [Code.AlreadyExists, /already exists: use another name/],
    [Code.FailedPrecondition, /check the state first/],
    [Code.Aborted, /concurrent change: retry/],
    [Code.OutOfRange, /out of range/],
    [Code.Unimplemented, /does not implement this call/],
    [Code.Internal, /internal error/],
    [Code.Unavailable, /unavailable: check connectivity/],
    [Code.DataLoss, /do not retry/],
  ] as const)("%s", (code, hint) => {
    const error = decodeRpcError(new ConnectError("x", code));
    expect(error.name).toBe("UnionRpcError");
    expect(error.hint).toMatch(hint);
    expect(error.hint).not.toMatch(PROMISES_RETRY);
  });

  it("never promises a retry for a code the same request cannot get past", () => {
    for (const code of [
      Code.InvalidArgument,
      Code.AlreadyExists,
      Code.Unimplemented,
      Code.DataLoss,
      Code.FailedPrecondition,
      Code.OutOfRange,
    ]) {
      const error = decodeRpcError(new ConnectError("x", code));
      expect(error.retryable).toBe(false);
      expect(error.hint).not.toMatch(/^Retry|: retry|succeeds? on retry|may succeed/i);
    }
  });

  it("RESOURCE_EXHAUSTED says to back off, and that it does not count as a failure", () => {
    const error = decodeRpcError(new ConnectError("quota", Code.ResourceExhausted));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.hint).toMatch(/backoff.*does not count as a failed attempt/);
  });

  it.each([
    ["ENOTFOUND", /host name/],
    ["EAI_AGAIN", /did not resolve for now/],
    ["CERT_HAS_EXPIRED", /TLS certificate is not trusted/],
    ["ECONNREFUSED", /Nothing accepted the connection/],
    ["ECONNRESET", /connection to the endpoint failed \(ECONNRESET\)/],
  ] as const)("a connection that failed with %s names its cause", (code, hint) => {
    const cause = Object.assign(new Error(`connect ${code}`), { code, syscall: "connect" });
    const error = decodeRpcError(new TypeError("fetch failed", { cause }));
    expect(error.hint).toMatch(hint);
  });

  it.each([
    [404, /does not serve the Flyte API at this address/],
    [502, /proxy or gateway in front of Flyte failed/],
    [418, /Something other than the Flyte server answered/],
  ] as const)(
    "a %s reply that is not Flyte's points at the endpoint or the proxy",
    (status, hint) => {
      const error = decodeRpcError(new ConnectError(`HTTP ${status}`, Code.Unknown), {
        response: { status, contentType: "text/html", body: "<html><body>nope</body></html>" },
      });
      expect(error.name).toBe("UnionRpcError");
      expect(error.hint).toMatch(hint);
    },
  );
});

describe("creating a run: the hint names what to change about the run", () => {
  const createRun = (code: Code) =>
    decodeRpcError(new ConnectError("x", code), { operation: "createRun", runName: "nightly" });

  it("a name clash says to choose another name, not to fix the task code", () => {
    const error = createRun(Code.AlreadyExists);
    expect(error.code).toBe("RunAlreadyExistsError");
    expect(error.hint).toMatch(/choose another name/);
    expect(error.hint).not.toMatch(/task code/);
  });

  it("a rejected spec points at the fields", () => {
    expect(createRun(Code.InvalidArgument).hint).toMatch(/err\.fieldErrors/);
  });

  it("an unavailable service says to check the endpoint and the service", () => {
    expect(createRun(Code.Unavailable).hint).toMatch(/service's status/);
  });

  it("RunCreationError keeps the hint of the RPC code underneath", () => {
    const error = createRun(Code.Unimplemented);
    expect(error.code).toBe("RunCreationError");
    expect(error.hint).toMatch(/does not implement this call/);
  });
});

describe("conversions: the hint follows the code", () => {
  it("a CustomError names the exception the task raised", () => {
    const error = decodeExecutionError({ code: "KeyError", kind: "USER", message: "'id'" });
    expect(error.hint).toMatch(/^The task raised KeyError/);
  });

  it("a platform code gets the hint of its condition, whatever the kind", () => {
    const cases = [
      ["ErrorFileNotFound", /readable error file/],
      ["ErrorFileBadFormat", /without an error in it/],
      ["PodPendingTimeout", /pending past the platform's timeout/],
      ["MaxSystemFailuresExceeded", /in a row/],
      ["ResourceDeletedExternally", /deleted while it ran/],
      ["DeadlineExceeded", /active deadline/],
      ["Evicted", /evicted/],
      ["CreateContainerError", /entrypoint/],
      ["CreateContainerConfigError", /secret or config map/],
    ] as const;
    for (const [code, hint] of cases) {
      expect(decodeExecutionError({ code, kind: "SYSTEM", message: "m" }).hint).toMatch(hint);
    }
  });

  it("a kind from the future says the client is older than the server", () => {
    const error = decodeExecutionError({ code: "ValueError", kind: 9, message: "m" });
    expect(error.hint).toMatch(/kind 9 is newer than this client/);
  });

  it("a NonRecoverableError says retries will not help", () => {
    const error = decodeErrorDocument(
      create(ErrorDocumentSchema, {
        error: { code: "BadInput", message: "m", kind: 0, origin: 1 },
      }),
    );
    expect(error?.hint).toMatch(/declared this failure final/);
  });

  it("a payload that does not parse says what to pass", () => {
    const error = decodeExecutionError(new Uint8Array([0xff, 0xff]));
    expect(error.code).toBe("MalformedPayload");
    expect(error.hint).toMatch(/Pass a flyteidl2\.core\.ExecutionError/);
  });
});

describe("actions: the hint follows the outcome", () => {
  it("an abort says who stopped the run and why", () => {
    const error = decodeActionDetails(
      actionDetails({
        phase: ActionPhase.ABORTED,
        abort: { reason: "superseded", principal: { user: { email: "ann@example.com" } } },
      }),
    );
    expect(error?.hint).toBe(
      "ann@example.com stopped the run (reason: superseded); launch a new run if it is still needed.",
    );
  });

  it("an abort without a principal or reason says it was on purpose", () => {
    const error = decodeActionDetails(
      actionDetails({ phase: ActionPhase.ABORTED, actionName: "a3", abort: {} }),
    );
    expect(error?.name).toBe("ActionAbortedError");
    expect(error?.hint).toMatch(/^The action was stopped on purpose without giving a reason/);
  });

  it("a failure without an error points at the logs and the attempts", () => {
    const error = decodeActionDetails(actionDetails({ phase: ActionPhase.FAILED }));
    expect(error?.hint).toMatch(/without an error.*attempts/);
  });

  it("a phase from the future says the client is older than the server", () => {
    const error = decodeActionDetails(actionDetails({ phase: 42 }));
    expect(error?.code).toBe("UnknownPhase");
    expect(error?.hint).toMatch(/phase newer than this client/);
  });

  it("a timeout says to raise the timeout", () => {
    const error = decodeActionDetails(
      actionDetails({
        phase: ActionPhase.TIMED_OUT,
        message: "task execution timeout [5m0s] expired",
      }),
    );
    expect(error?.hint).toMatch(/Raise the task's timeout/);
  });

  it("a user failure ending in a traceback names the exception", () => {
    const error = decodeActionDetails(
      actionDetails({
        message: 'Traceback (most recent call last):\n  File "main.py", line 3\nValueError: bad',
      }),
    );
    expect(error?.hint).toMatch(/^The task raised ValueError/);
  });

  it("a plain user failure keeps the family's hint", () => {
    const error = decodeActionDetails(actionDetails({ message: "something broke" }));
    expect(error?.name).toBe("RuntimeUserError");
    expect(error?.hint).toMatch(/fix the code or its inputs/);
  });
});
