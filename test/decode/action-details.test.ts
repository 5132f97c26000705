import { create, fromJson, toBinary, toJson, toJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { construct } from "../../src/decode/construct.js";
import { classifyFailureMessage, decodeActionDetails } from "../../src/decode/index.js";
import {
  ActionAbortedError,
  captureStackAtThrow,
  ImagePullBackOffError,
  InvalidImageNameError,
  isFlyteError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  RunAbortedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  TaskInterruptedError,
  TaskTimeoutError,
} from "../../src/errors/failure.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  ActionDetailsSchema,
  ErrorInfo_Kind,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  actionDetails,
  containerLine,
  type Eol,
  exitZeroLine,
  POD_FAILED,
  TEXTS,
} from "./fixtures.js";

const { USER, SYSTEM, UNSPECIFIED } = ErrorInfo_Kind;

type ClassOf = abstract new (...args: never[]) => Error;

interface EvidenceRow {
  name: string;
  message: string;
  kind: ErrorInfo_Kind | number;
  cls: ClassOf;
  /** The exact class name, so a subclass cannot pass for its parent. */
  className: string;
  code: string;
  errorKind: "user" | "system" | "unknown";
  retryable?: boolean;
  attempts?: number;
}

/** Every row of the FAILED evidence table, with each FLYTE-FACTS text as input. */
function evidenceRows(eol: Eol): EvidenceRow[] {
  return [
    {
      name: "OOMKilled container line",
      message: TEXTS.oomPod(eol),
      kind: USER,
      cls: OOMError,
      className: "OOMError",
      code: "OOMKilled",
      errorKind: "user",
    },
    {
      name: "OOMKilled in the second of several containers, unicode sidecar",
      message: `${POD_FAILED}${containerLine("sidecar-✓", 1, "Error", "x", eol)}${exitZeroLine("init", eol)}${containerLine("main", 137, "OOMKilled", "y", eol)}`,
      kind: USER,
      cls: OOMError,
      className: "OOMError",
      code: "OOMKilled",
      errorKind: "user",
    },
    {
      name: "OOMKilled with a kind SYSTEM keeps system",
      message: TEXTS.oomPod(eol),
      kind: SYSTEM,
      cls: OOMError,
      className: "OOMError",
      code: "OOMKilled",
      errorKind: "system",
    },
    {
      name: "despite being OOMKilled",
      message: TEXTS.oomDespite,
      kind: USER,
      cls: OOMError,
      className: "OOMError",
      code: "OOMKilled",
      errorKind: "user",
    },
    {
      name: "OOM wins over an image pull text",
      message: `${TEXTS.backoffKubelet}${containerLine("m", 137, "OOMKilled", "z", eol)}`,
      kind: USER,
      cls: OOMError,
      className: "OOMError",
      code: "OOMKilled",
      errorKind: "user",
    },
    {
      name: "primary container not found",
      message: TEXTS.primaryMissing("main"),
      kind: USER,
      cls: PrimaryContainerNotFoundError,
      className: "PrimaryContainerNotFoundError",
      code: "PrimaryContainerNotFound",
      errorKind: "user",
    },
    {
      name: "primary container with brackets and unicode in its name",
      message: TEXTS.primaryMissing("主[0]"),
      kind: UNSPECIFIED,
      cls: PrimaryContainerNotFoundError,
      className: "PrimaryContainerNotFoundError",
      code: "PrimaryContainerNotFound",
      errorKind: "user",
    },
    {
      name: "primary container wins over invalid image",
      message: `${TEXTS.primaryMissing("m")}${eol}${TEXTS.invalidImage}`,
      kind: USER,
      cls: PrimaryContainerNotFoundError,
      className: "PrimaryContainerNotFoundError",
      code: "PrimaryContainerNotFound",
      errorKind: "user",
    },
    {
      name: "kubelet invalid reference format",
      message: TEXTS.invalidImage,
      kind: USER,
      cls: InvalidImageNameError,
      className: "InvalidImageNameError",
      code: "InvalidImageName",
      errorKind: "user",
    },
    {
      name: "InvalidImageName word",
      message: TEXTS.invalidImageCode,
      kind: USER,
      cls: InvalidImageNameError,
      className: "InvalidImageNameError",
      code: "InvalidImageName",
      errorKind: "user",
    },
    {
      name: "couldn't parse image reference alone",
      message: `couldn't parse image reference "x y"`,
      kind: USER,
      cls: InvalidImageNameError,
      className: "InvalidImageNameError",
      code: "InvalidImageName",
      errorKind: "user",
    },
    {
      name: "invalid image wins over image pull",
      message: `${TEXTS.invalidImage}${eol}${TEXTS.errImagePull}`,
      kind: USER,
      cls: InvalidImageNameError,
      className: "InvalidImageNameError",
      code: "InvalidImageName",
      errorKind: "user",
    },
    {
      name: "grace period exceeded",
      message: TEXTS.gracePeriod,
      kind: USER,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "user",
      retryable: false,
    },
    {
      name: "grace period exceeded, registry rate limit",
      message: TEXTS.gracePeriodRateLimited,
      kind: USER,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "system",
      retryable: true,
    },
    {
      name: "[ImagePullBackOff] while inside the grace period",
      message: TEXTS.backoffBracket,
      kind: USER,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "user",
    },
    {
      name: "Back-off pulling image",
      message: TEXTS.backoffKubelet,
      kind: USER,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "user",
    },
    {
      name: "ErrImagePull",
      message: TEXTS.errImagePull,
      kind: SYSTEM,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "system",
    },
    {
      name: "image pull wins over interrupted",
      message: `${TEXTS.backoffKubelet} Interrupted`,
      kind: SYSTEM,
      cls: ImagePullBackOffError,
      className: "ImagePullBackOffError",
      code: "ImagePullBackOff",
      errorKind: "system",
    },
    {
      name: "SYSTEM with an exit code 137 container line",
      message: TEXTS.sigkill(eol),
      kind: SYSTEM,
      cls: TaskInterruptedError,
      className: "TaskInterruptedError",
      code: "Interrupted",
      errorKind: "system",
      retryable: true,
    },
    {
      name: "SYSTEM with SIGKILL",
      message: `${POD_FAILED}${containerLine("main", 9, "Error", "received SIGKILL", eol)}`,
      kind: SYSTEM,
      cls: TaskInterruptedError,
      className: "TaskInterruptedError",
      code: "Interrupted",
      errorKind: "system",
    },
    {
      name: "the word Interrupted, any kind",
      message: "Interrupted: node was preempted",
      kind: USER,
      cls: TaskInterruptedError,
      className: "TaskInterruptedError",
      code: "Interrupted",
      errorKind: "system",
    },
    {
      name: "Interrupted wins over retries exhausted",
      message: `Interrupted${eol}${TEXTS.retries(2)}`,
      kind: UNSPECIFIED,
      cls: TaskInterruptedError,
      className: "TaskInterruptedError",
      code: "Interrupted",
      errorKind: "system",
    },
    {
      name: "USER with exit code 137 is the user's own kill",
      message: TEXTS.sigkill(eol),
      kind: USER,
      cls: RuntimeUserError,
      className: "RuntimeUserError",
      code: "UserError",
      errorKind: "user",
    },
    {
      name: "Uninterrupted is not the word",
      message: "Uninterrupted run failed",
      kind: USER,
      cls: RuntimeUserError,
      className: "RuntimeUserError",
      code: "UserError",
      errorKind: "user",
    },
    {
      name: "task failed after 3 attempt(s)",
      message: TEXTS.retries(3),
      kind: USER,
      cls: RetriesExhaustedError,
      className: "RetriesExhaustedError",
      code: "MaxRetriesExceeded",
      errorKind: "user",
      attempts: 3,
    },
    {
      name: "task failed after 1 attempt, with trailing text",
      message: `${TEXTS.retries(1)}${eol}more`,
      kind: SYSTEM,
      cls: RetriesExhaustedError,
      className: "RetriesExhaustedError",
      code: "MaxRetriesExceeded",
      errorKind: "system",
      attempts: 1,
    },
    {
      name: "KIND_USER anything else",
      message: TEXTS.userTraceback,
      kind: USER,
      cls: RuntimeUserError,
      className: "RuntimeUserError",
      code: "UserError",
      errorKind: "user",
      retryable: false,
    },
    {
      name: "KIND_SYSTEM anything else",
      message: "failed to read error file at [s3://bucket/a0/error.pb]: object store unavailable",
      kind: SYSTEM,
      cls: RuntimeSystemError,
      className: "RuntimeSystemError",
      code: "SystemError",
      errorKind: "system",
      retryable: true,
    },
    {
      name: "KIND_UNSPECIFIED anything else",
      message: "something odd",
      kind: UNSPECIFIED,
      cls: RuntimeUnknownError,
      className: "RuntimeUnknownError",
      code: "Unknown",
      errorKind: "unknown",
    },
    {
      name: "a kind number from the future",
      message: "something odd",
      kind: 9,
      cls: RuntimeUnknownError,
      className: "RuntimeUnknownError",
      code: "Unknown",
      errorKind: "unknown",
    },
  ];
}

describe("decodeActionDetails: FAILED evidence table", () => {
  for (const eol of ["\r\n", "\n"] as const) {
    describe(eol === "\r\n" ? "CRLF" : "LF", () => {
      for (const row of evidenceRows(eol)) {
        it(row.name, () => {
          const details = actionDetails({
            message: row.message,
            kind: row.kind,
            attempts: 4,
            podName: "r1-a0-0",
          });
          const error = decodeActionDetails(details);
          expect(error).toBeInstanceOf(row.cls);
          expect(error?.name).toBe(row.className);
          expect(error?.code).toBe(row.code);
          expect(error?.kind).toBe(row.errorKind);
          if (row.retryable !== undefined) expect(error?.retryable).toBe(row.retryable);
          expect(error?.attempts).toBe(row.attempts ?? 4);
          expect(error?.worker).toBe("r1-a0-0");
          expect(error?.rawMessage.startsWith("task a0 of run r1 ")).toBe(true);
          expect(error?.rawMessage.endsWith(row.message)).toBe(true);
          expect(error?.details.actionDetails).toEqual(toJson(ActionDetailsSchema, details));
        });
      }
    });
  }

  it("uses the latest attempt's ErrorInfo when the result has none", () => {
    const error = decodeActionDetails(
      actionDetails({ attemptMessage: TEXTS.oomDespite, attemptKind: SYSTEM }),
    );
    expect(error).toBeInstanceOf(OOMError);
    expect(error?.kind).toBe("system");
  });

  it("keeps the parsed container lines in details", () => {
    const message = `${POD_FAILED}${containerLine("side[car]", 1, "Error", "a")}${containerLine("main", 137, "OOMKilled", "b")}`;
    const error = decodeActionDetails(actionDetails({ message }));
    expect(error?.details.containers).toEqual([
      { container: "side[car]", exitCode: 1, reason: "Error", message: "a" },
      { container: "main", exitCode: 137, reason: "OOMKilled", message: "b" },
    ]);
  });

  it("starts the message with the essentials, naming the task and run from the context", () => {
    const error = decodeActionDetails(actionDetails({ message: TEXTS.oomDespite, runName: "x" }), {
      runName: "nightly-7",
      actionName: "a3",
    });
    expect(error?.rawMessage).toBe(
      `task a3 of run nightly-7 ran out of memory: ${TEXTS.oomDespite}`,
    );
    expect(error?.message).toBe(
      `OOMError [OOMKilled] (user): task a3 of run nightly-7 ran out of memory: ${TEXTS.oomDespite}`,
    );
  });

  it("falls back to the cluster as worker", () => {
    const error = decodeActionDetails(actionDetails({ message: "x", cluster: "us-east-2" }));
    expect(error?.worker).toBe("us-east-2");
  });

  it("gives RuntimeUnknownError when FAILED carries no ErrorInfo at all", () => {
    const error = decodeActionDetails(actionDetails({}));
    expect(error).toBeInstanceOf(RuntimeUnknownError);
    expect(error?.code).toBe("Unknown");
    expect(error?.rawMessage).toBe("task a0 of run r1 failed without saying why");
  });
});

describe("decodeActionDetails: phases", () => {
  const noFailure: [string, number][] = [
    ["SUCCEEDED", ActionPhase.SUCCEEDED],
    ["RECOVERED", ActionPhase.RECOVERED],
    ["UNSPECIFIED", ActionPhase.UNSPECIFIED],
    ["QUEUED", ActionPhase.QUEUED],
    ["WAITING_FOR_RESOURCES", ActionPhase.WAITING_FOR_RESOURCES],
    ["INITIALIZING", ActionPhase.INITIALIZING],
    ["RUNNING", ActionPhase.RUNNING],
    ["PAUSED", ActionPhase.PAUSED],
  ];
  for (const [name, phase] of noFailure) {
    it(`${name} is no failure, even with an ErrorInfo present`, () => {
      expect(decodeActionDetails(actionDetails({ phase, message: TEXTS.backoffBracket }))).toBe(
        undefined,
      );
    });
  }

  const aborts = [
    { by: { user: { email: "ada@acme.io", subject: "u-1" } }, expected: "ada@acme.io" },
    { by: { user: { subject: "u-1" } }, expected: "u-1" },
    { by: { application: { name: "nightly-bot", subject: "app-9" } }, expected: "nightly-bot" },
    { by: { application: { subject: "app-9" } }, expected: "app-9" },
  ] as const;
  for (const { by, expected } of aborts) {
    it(`ABORTED of the root action names ${expected}`, () => {
      const error = decodeActionDetails(
        actionDetails({
          phase: ActionPhase.ABORTED,
          abort: { reason: "superseded", principal: by },
        }),
      );
      expect(error).toBeInstanceOf(RunAbortedError);
      expect(error?.name).toBe("RunAbortedError");
      const aborted = error as RunAbortedError;
      expect(aborted.reason).toBe("superseded");
      expect(aborted.abortedBy).toBe(expected);
      expect(aborted.rawMessage).toBe(`run r1 was aborted by ${expected}: superseded`);
    });
  }

  it("ABORTED of a child action is an ActionAbortedError", () => {
    const error = decodeActionDetails(
      actionDetails({ phase: ActionPhase.ABORTED, actionName: "a7", abort: { reason: "stop" } }),
    );
    expect(error).toBeInstanceOf(ActionAbortedError);
    expect(error?.name).toBe("ActionAbortedError");
    expect((error as ActionAbortedError).reason).toBe("stop");
    expect((error as ActionAbortedError).abortedBy).toBe(undefined);
  });

  it("ABORTED without AbortInfo still says it was aborted", () => {
    const error = decodeActionDetails(actionDetails({ phase: ActionPhase.ABORTED }));
    expect(error?.name).toBe("RunAbortedError");
    expect(error?.rawMessage).toBe("run r1 was aborted");
  });

  it("TIMED_OUT carries the last attempt's decoded error as cause", () => {
    const error = decodeActionDetails(
      actionDetails({
        phase: ActionPhase.TIMED_OUT,
        attemptMessage: TEXTS.oomPod(),
        attemptKind: USER,
      }),
    );
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error?.code).toBe("TaskTimeoutError");
    expect(error?.cause).toBeInstanceOf(OOMError);
  });

  it("TIMED_OUT without an error has no cause", () => {
    const error = decodeActionDetails(actionDetails({ phase: ActionPhase.TIMED_OUT }));
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error?.cause).toBe(undefined);
    expect(error?.rawMessage).toBe("task a0 of run r1 ran past its timeout");
  });

  it("an unknown phase with an end time is RuntimeUnknownError UnknownPhase, number kept", () => {
    const error = decodeActionDetails(actionDetails({ phase: 42 }));
    expect(error).toBeInstanceOf(RuntimeUnknownError);
    expect(error?.code).toBe("UnknownPhase");
    expect(error?.details.phase).toBe(42);
    expect(error?.rawMessage).toContain("UNKNOWN(42)");
  });

  it("an unknown phase without an end time is not terminal", () => {
    expect(decodeActionDetails(actionDetails({ phase: 42, endTime: false }))).toBe(undefined);
  });
});

describe("decodeActionDetails: input forms", () => {
  const details = actionDetails({ message: TEXTS.oomPod(), attempts: 2 });

  it("reads the binary encoding and keeps the bytes", () => {
    const bytes = toBinary(ActionDetailsSchema, details);
    const error = decodeActionDetails(bytes);
    expect(error).toBeInstanceOf(OOMError);
    expect(error?.details.raw).toBe(bytes);
  });

  it("reads proto3 JSON with enum names, as an object and as text", () => {
    const json = toJson(ActionDetailsSchema, details);
    expect(decodeActionDetails(json)).toBeInstanceOf(OOMError);
    const text = toJsonString(ActionDetailsSchema, details);
    const fromText = decodeActionDetails(text);
    expect(fromText).toBeInstanceOf(OOMError);
    expect(fromText?.details.raw).toBe(text);
  });

  it("reads the issue's JSON example", () => {
    const error = decodeActionDetails({
      status: { phase: "ACTION_PHASE_FAILED" },
      errorInfo: { message: "boom", kind: "KIND_USER" },
    });
    expect(error).toBeInstanceOf(RuntimeUserError);
    expect(error?.rawMessage).toBe("the task failed: boom");
  });

  it("reads numeric enums and unknown fields in JSON", () => {
    const error = decodeActionDetails({
      status: { phase: 6, attempts: 3, fieldFromTheFuture: true },
      errorInfo: { message: TEXTS.retries(3), kind: 2 },
      newTopLevel: { a: 1 },
    });
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error?.kind).toBe("system");
  });

  it("keeps an unknown phase number from JSON and from binary", () => {
    const json = { status: { phase: 77, endTime: "2024-01-01T00:00:00Z" } };
    expect(decodeActionDetails(json)?.details.phase).toBe(77);
    const bytes = toBinary(ActionDetailsSchema, fromJson(ActionDetailsSchema, json));
    expect(decodeActionDetails(bytes)?.code).toBe("UnknownPhase");
  });

  const malformed: [string, unknown, string][] = [
    ["bytes that do not parse", new Uint8Array([0x0a, 0xff, 0xff, 0xff]), "binary encoding"],
    ["text that is not JSON", "{nope", "not JSON"],
    ["JSON that is not an object", "[1,2]", "not an object"],
    ["JSON of the wrong shape", { status: { phase: { nested: true } } }, "not a valid"],
    [
      "a message of another type",
      { $typeName: "flyteidl2.core.ExecutionError", code: "x" },
      "got flyteidl2.core.ExecutionError",
    ],
    ["nothing", undefined, "no payload"],
  ];
  for (const [name, input, words] of malformed) {
    it(`${name} gives MalformedPayload with the input kept`, () => {
      const error = decodeActionDetails(input as never);
      expect(error).toBeInstanceOf(RuntimeUnknownError);
      expect(error?.code).toBe("MalformedPayload");
      expect(error?.details.raw).toBe(input);
      expect(error?.rawMessage).toContain("flyteidl2.workflow.ActionDetails");
      expect(error?.rawMessage).toContain(words);
    });
  }

  it("survives a hand-built message with wrong field types", () => {
    const broken = { ...details, attempts: 5 } as never;
    const error = decodeActionDetails(broken);
    expect(isFlyteError(error)).toBe(true);
    expect(error?.code).toBe("MalformedPayload");
  });
});

describe("classifyFailureMessage", () => {
  it("applies the same rules to a pasted message", () => {
    expect(classifyFailureMessage(TEXTS.oomDespite).name).toBe("OOMError");
    expect(classifyFailureMessage("boom", "user").name).toBe("RuntimeUserError");
    expect(classifyFailureMessage("boom", "system").name).toBe("RuntimeSystemError");
    expect(classifyFailureMessage("boom").name).toBe("RuntimeUnknownError");
    expect(classifyFailureMessage(TEXTS.sigkill(), SYSTEM).name).toBe("TaskInterruptedError");
    expect(classifyFailureMessage(TEXTS.retries(5), "user")).toMatchObject({ attempts: 5 });
  });

  it("decodes a 10 MB message that ends in an OOM container line", () => {
    const message = `${POD_FAILED}${containerLine("main", 1, "Error", "x".repeat(10_000_000))}${containerLine("main", 137, "OOMKilled", "late")}`;
    const error = classifyFailureMessage(message, "user");
    expect(error.name).toBe("OOMError");
    expect(error.details.containers).toHaveLength(2);
  });
});

describe("messages that an error constructor cannot take whole", () => {
  it("a 10 MB run of JWT-like text still decodes to the right class", () => {
    const message = `${TEXTS.oomDespite} ${"eyJ-".repeat(2_500_000)}`;
    const error = decodeActionDetails(actionDetails({ message }));
    expect(error?.name).toBe("OOMError");
  });

  it("construct keeps the class and shortens the message when the constructor throws", () => {
    class Picky extends RuntimeUserError {
      constructor(options: { message?: string }) {
        if ((options.message?.length ?? 0) > 5_000) throw new RangeError("too long for me");
        super(options);
      }
    }
    const error = construct(Picky, { message: "y".repeat(10_000), code: "Kept" });
    expect(error).toBeInstanceOf(Picky);
    expect(error.code).toBe("Kept");
    expect(error.rawMessage).toContain("(10000 characters; the full text is in details)");
    expect(error.details.messageTruncated).toBe(true);
  });
});

describe("the stack of a decoded error", () => {
  it("is the message alone: the failure happened on the cluster, not in the decoder", () => {
    // Errors built by user code still capture their frames (classes.test.ts); decoders
    // leave that to the client's public methods, which add the caller's frames on throw.
    const error = decodeActionDetails(
      create(ActionDetailsSchema, {
        id: { run: { name: "r1" }, name: "a0" },
        status: { phase: ActionPhase.FAILED, attempts: 1 },
        result: { case: "errorInfo", value: { message: "boom", kind: ErrorInfo_Kind.USER } },
      }),
    );
    expect(error?.stack).toBe(error?.message);
  });

  it("gets the frames of the first place that throws it, and keeps them", () => {
    const decoded = decodeActionDetails(actionDetails({ message: "boom" }));
    if (decoded === undefined) throw new Error("expected an error");
    const error = decoded;
    function throwingPlace(): string | undefined {
      return captureStackAtThrow(error).stack;
    }
    const first = throwingPlace();
    expect(first?.startsWith(`${error.message}\n`)).toBe(true);
    expect(first).toContain("throwingPlace");
    function laterPlace(): string | undefined {
      return captureStackAtThrow(error).stack;
    }
    expect(laterPlace()).toBe(first);
  });

  it("leaves the frames of an error built by user code, and values not ours, alone", () => {
    function buildingPlace(): RuntimeUserError {
      return new RuntimeUserError({ message: "local" });
    }
    const local = buildingPlace();
    function throwingPlace(): string | undefined {
      return captureStackAtThrow(local).stack;
    }
    const stack = throwingPlace();
    expect(stack).toContain("buildingPlace");
    expect(stack).not.toContain("throwingPlace");
    const plain = new Error("plain");
    plain.stack = "plain";
    expect(captureStackAtThrow(plain).stack).toBe("plain");
    const hostile = new Proxy(
      {},
      {
        has() {
          throw new Error("trap");
        },
      },
    );
    expect(captureStackAtThrow(hostile)).toBe(hostile);
  });

  it("renders details.actionDetails on first read, listed and serialised like any field", () => {
    const message = create(ActionDetailsSchema, {
      id: { run: { name: "r1" }, name: "a0" },
      status: { phase: ActionPhase.FAILED, attempts: 1 },
      result: { case: "errorInfo", value: { message: "boom", kind: ErrorInfo_Kind.USER } },
    });
    const error = decodeActionDetails(toBinary(ActionDetailsSchema, message));
    const details = error?.details ?? {};
    expect(Object.keys(details)).toContain("actionDetails");
    const json = JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
    expect(json.actionDetails).toEqual(toJson(ActionDetailsSchema, message));
    expect(details.actionDetails).toBe(details.actionDetails);
    expect(structuredClone(details).actionDetails).toEqual(json.actionDetails);
  });
});
