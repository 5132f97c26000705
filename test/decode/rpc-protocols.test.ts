import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRpcError, isCallerAbort, type RpcErrorContext } from "../../src/decode/index.js";
import {
  type AnyFlyteError,
  AuthenticationError,
  PermissionDeniedError,
  SlowDownError,
  UnionRpcError,
} from "../../src/errors/failure.js";
import {
  BadRequestSchema,
  DebugInfoSchema,
  ErrorInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "../../src/gen/google/rpc/error_details_pb.js";
import {
  PROTOCOLS,
  rejection,
  type Scenario,
  startServer,
  streamRejection,
  type TestServer,
} from "./rpc-server.js";

type Op = "read" | "watch" | "createRun";

interface Expected {
  name: AnyFlyteError["name"];
  code: string;
  kind: "user" | "system" | "unknown";
  retryable: boolean;
  rpcCode?: number;
  message?: string;
}

interface Row {
  /** Also the run name on the wire, so the server knows what to throw. */
  id: string;
  scenario: Scenario;
  ops: readonly Op[];
  expected: Expected;
  check?: (error: AnyFlyteError) => void;
}

const plain =
  (code: Code, message = "server says no"): Scenario =>
  () =>
    new ConnectError(message, code);

/** The general table, one row per code, read and watched. */
const codeRows: Row[] = (
  [
    ["invalid-argument", Code.InvalidArgument, "INVALID_ARGUMENT", "user", false],
    ["already-exists", Code.AlreadyExists, "ALREADY_EXISTS", "user", false],
    ["failed-precondition", Code.FailedPrecondition, "FAILED_PRECONDITION", "user", false],
    ["out-of-range", Code.OutOfRange, "OUT_OF_RANGE", "user", false],
    ["unavailable", Code.Unavailable, "UNAVAILABLE", "system", true],
    ["deadline-exceeded", Code.DeadlineExceeded, "DEADLINE_EXCEEDED", "system", true],
    ["aborted", Code.Aborted, "ABORTED", "system", true],
    ["internal", Code.Internal, "INTERNAL", "system", true],
    ["canceled-by-server", Code.Canceled, "CANCELED", "system", true],
    ["unknown", Code.Unknown, "UNKNOWN", "system", false],
    ["data-loss", Code.DataLoss, "DATA_LOSS", "system", false],
    ["unimplemented", Code.Unimplemented, "UNIMPLEMENTED", "system", false],
  ] as const
).map(([id, code, name, kind, retryable]) => ({
  id,
  scenario: plain(code),
  ops: ["read", "watch"],
  expected: {
    name: "UnionRpcError",
    code: name,
    kind,
    retryable,
    rpcCode: code,
    message: "server says no",
  },
}));

const rows: Row[] = [
  ...codeRows,
  {
    id: "not-found",
    scenario: plain(Code.NotFound, "no such action"),
    ops: ["read", "watch"],
    expected: { name: "ActionNotFoundError", code: "NOT_FOUND", kind: "user", retryable: false },
    check: (e) =>
      expect(e.rawMessage).toBe("action a3 of run not-found was not found: no such action"),
  },
  {
    id: "slow-down-retry-info",
    scenario: () =>
      new ConnectError("too many watches", Code.ResourceExhausted, { "retry-after": "99" }, [
        { desc: RetryInfoSchema, value: { retryDelay: durationFromMs(2500) } },
        {
          desc: QuotaFailureSchema,
          value: { violations: [{ subject: "project:p", description: "watch quota" }] },
        },
      ]),
    ops: ["read", "watch"],
    expected: {
      name: "ResourceExhaustedError",
      code: "RESOURCE_EXHAUSTED",
      kind: "system",
      retryable: true,
    },
    check: (e) => {
      // RetryInfo wins over the Retry-After header of 99 seconds.
      expect((e as SlowDownError).retryAfterMs).toBe(2500);
      expect(e).toBeInstanceOf(SlowDownError);
      expect(e.details.quotaFailure).toEqual({
        violations: [{ subject: "project:p", description: "watch quota" }],
      });
    },
  },
  {
    id: "slow-down-seconds",
    scenario: () => new ConnectError("slow down", Code.ResourceExhausted, { "retry-after": "7" }),
    ops: ["read", "watch"],
    expected: {
      name: "ResourceExhaustedError",
      code: "RESOURCE_EXHAUSTED",
      kind: "system",
      retryable: true,
    },
    check: (e) => expect((e as SlowDownError).retryAfterMs).toBe(7000),
  },
  {
    id: "slow-down-date",
    scenario: () =>
      new ConnectError("slow down", Code.ResourceExhausted, {
        "retry-after": new Date(Date.now() + 120_000).toUTCString(),
      }),
    ops: ["read"],
    expected: {
      name: "ResourceExhaustedError",
      code: "RESOURCE_EXHAUSTED",
      kind: "system",
      retryable: true,
    },
    check: (e) => {
      const ms = (e as SlowDownError).retryAfterMs ?? -1;
      expect(ms).toBeGreaterThan(60_000);
      expect(ms).toBeLessThanOrEqual(120_000);
    },
  },
  {
    id: "unauthenticated",
    scenario: plain(Code.Unauthenticated, "token expired"),
    ops: ["read", "watch"],
    expected: {
      name: "AuthenticationError",
      code: "UNAUTHENTICATED",
      kind: "user",
      retryable: false,
      rpcCode: 16,
    },
  },
  {
    id: "permission-denied",
    scenario: plain(Code.PermissionDenied, "no access to project p"),
    ops: ["read", "watch"],
    expected: {
      name: "PermissionDeniedError",
      code: "PERMISSION_DENIED",
      kind: "user",
      retryable: false,
      rpcCode: 7,
    },
  },
  {
    id: "every-detail",
    scenario: () =>
      new ConnectError(
        "raw server text",
        Code.FailedPrecondition,
        { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
        [
          {
            desc: ErrorInfoSchema,
            value: {
              reason: "RUN_LOCKED",
              domain: "flyte.org",
              metadata: { run: "r1", session_token: "s3cr3t-in-metadata" },
            },
          },
          {
            desc: LocalizedMessageSchema,
            value: { locale: "en-US", message: "The run is locked by another deploy." },
          },
          {
            desc: BadRequestSchema,
            value: {
              fieldViolations: [
                { field: "run_id.name", description: "too long" },
                { field: "inputs", description: "missing x" },
              ],
            },
          },
          { desc: DebugInfoSchema, value: { stackEntries: ["a.go:1"], detail: "lock held" } },
          {
            desc: ResourceInfoSchema,
            value: { resourceType: "run", resourceName: "r1", owner: "ada", description: "locked" },
          },
          {
            desc: PreconditionFailureSchema,
            value: { violations: [{ type: "LOCK", subject: "r1", description: "held" }] },
          },
          { desc: RequestInfoSchema, value: { requestId: "req-123", servingData: "" } },
          {
            desc: HelpSchema,
            value: { links: [{ description: "docs", url: "https://flyte.org" }] },
          },
          { type: "google.rpc.RetryInfo", value: new Uint8Array([0x0a, 0x05, 0x08]) },
          { type: "acme.v1.CustomDetail", value: new Uint8Array([1, 2, 3]) },
        ] as never,
      ),
    ops: ["read", "watch"],
    expected: {
      name: "UnionRpcError",
      code: "FAILED_PRECONDITION",
      kind: "user",
      retryable: false,
      rpcCode: 9,
    },
    check: (e) => {
      expect(e.rawMessage).toContain("The run is locked by another deploy.");
      expect(e.details.serverMessage).toBe("raw server text");
      expect(e.traceId).toBe("req-123");
      expect(e.fieldErrors).toEqual([
        { field: "run_id.name", message: "too long" },
        { field: "inputs", message: "missing x" },
      ]);
      expect(e.details.errorInfo).toEqual({
        reason: "RUN_LOCKED",
        domain: "flyte.org",
        metadata: { run: "r1", session_token: "[REDACTED]" },
      });
      expect(e.details.debugInfo).toEqual({ stackEntries: ["a.go:1"], detail: "lock held" });
      expect(e.details.resourceInfo).toMatchObject({ resourceName: "r1" });
      expect(e.details.preconditionFailure).toMatchObject({ violations: [{ type: "LOCK" }] });
      expect(e.details.help).toMatchObject({ links: [{ url: "https://flyte.org" }] });
      const list = e.details.rpcDetails as { type: string; raw?: Uint8Array; error?: string }[];
      expect(list.map((d) => d.type)).toEqual([
        "google.rpc.ErrorInfo",
        "google.rpc.LocalizedMessage",
        "google.rpc.BadRequest",
        "google.rpc.DebugInfo",
        "google.rpc.ResourceInfo",
        "google.rpc.PreconditionFailure",
        "google.rpc.RequestInfo",
        "google.rpc.Help",
        "google.rpc.RetryInfo",
        "acme.v1.CustomDetail",
      ]);
      expect(list[8]?.raw).toEqual(new Uint8Array([0x0a, 0x05, 0x08]));
      expect(list[8]?.error).toContain("do not parse");
      expect(list[9]?.raw).toEqual(new Uint8Array([1, 2, 3]));
      expect(JSON.stringify(e.details)).not.toContain("s3cr3t-in-metadata");
    },
  },
  {
    id: "trace-header",
    scenario: () => new ConnectError("x", Code.Internal, { "x-request-id": "rid-9" }),
    ops: ["read"],
    expected: { name: "UnionRpcError", code: "INTERNAL", kind: "system", retryable: true },
    check: (e) => expect(e.traceId).toBe("rid-9"),
  },
  // The create-run table.
  {
    id: "create-invalid",
    scenario: () =>
      new ConnectError("bad inputs", Code.InvalidArgument, undefined, [
        {
          desc: BadRequestSchema,
          value: { fieldViolations: [{ field: "inputs.x", description: "not an int" }] },
        },
      ]),
    ops: ["createRun"],
    expected: {
      name: "RuntimeUserError",
      code: "InvalidArgumentError",
      kind: "user",
      retryable: false,
    },
    check: (e) => {
      expect(e.fieldErrors).toEqual([{ field: "inputs.x", message: "not an int" }]);
      expect(e.cause).toBeInstanceOf(UnionRpcError);
      expect(e.rawMessage).toBe("could not create run create-invalid: CreateRun: bad inputs");
    },
  },
  {
    id: "create-exists",
    scenario: plain(Code.AlreadyExists, "run exists"),
    ops: ["createRun"],
    expected: {
      name: "RuntimeUserError",
      code: "RunAlreadyExistsError",
      kind: "user",
      retryable: false,
    },
  },
  {
    id: "create-unavailable",
    scenario: plain(Code.Unavailable, "down"),
    ops: ["createRun"],
    expected: {
      name: "RuntimeSystemError",
      code: "SystemUnavailableError",
      kind: "system",
      retryable: true,
    },
  },
  {
    id: "create-internal",
    scenario: plain(Code.Internal, "db"),
    ops: ["createRun"],
    expected: {
      name: "RuntimeSystemError",
      code: "RunCreationError",
      kind: "system",
      retryable: true,
    },
    check: (e) => expect((e.cause as UnionRpcError).code).toBe("INTERNAL"),
  },
  {
    id: "create-denied",
    scenario: plain(Code.PermissionDenied, "no"),
    ops: ["createRun"],
    // An earlier row of the table than createRun's catch-all: the class says more.
    expected: {
      name: "PermissionDeniedError",
      code: "PERMISSION_DENIED",
      kind: "user",
      retryable: false,
    },
    check: (e) => expect(e).toBeInstanceOf(PermissionDeniedError),
  },
  {
    id: "create-slow",
    scenario: () =>
      new ConnectError("slow", Code.ResourceExhausted, undefined, [
        { desc: RetryInfoSchema, value: { retryDelay: durationFromMs(1000) } },
      ]),
    ops: ["createRun"],
    expected: {
      name: "ResourceExhaustedError",
      code: "RESOURCE_EXHAUSTED",
      kind: "system",
      retryable: true,
    },
    check: (e) => expect((e as SlowDownError).retryAfterMs).toBe(1000),
  },
];

let server: TestServer;
const scenarios: Record<string, Scenario> = Object.fromEntries(rows.map((r) => [r.id, r.scenario]));
scenarios.hangs = ({ signal }) =>
  new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(new ConnectError("gone", Code.Canceled))),
  );

beforeAll(async () => {
  server = await startServer(scenarios);
});
afterAll(async () => {
  await server.close();
});

async function produce(
  protocol: (typeof PROTOCOLS)[number],
  row: Row,
  op: Op,
): Promise<{ thrown: unknown; context: RpcErrorContext }> {
  const client = server.client(protocol);
  const actionId = { run: { org: "acme", project: "p", domain: "d", name: row.id }, name: "a3" };
  if (op === "read") {
    return {
      thrown: await rejection(() => client.getActionDetails({ actionId })),
      context: { method: "GetActionDetails", operation: "read", runName: row.id, actionName: "a3" },
    };
  }
  if (op === "watch") {
    const { error, received } = await streamRejection(client.watchActionDetails({ actionId }));
    expect(received).toBe(1);
    return {
      thrown: error,
      context: {
        method: "WatchActionDetails",
        operation: "watch",
        runName: row.id,
        actionName: "a3",
      },
    };
  }
  return {
    thrown: await rejection(() =>
      client.createRun({
        id: { case: "runId", value: { org: "acme", project: "p", domain: "d", name: row.id } },
      }),
    ),
    context: { method: "CreateRun", operation: "createRun", runName: row.id },
  };
}

for (const protocol of PROTOCOLS) {
  describe(`decodeRpcError over ${protocol}`, () => {
    for (const row of rows) {
      for (const op of row.ops) {
        it(`${row.id} (${op})`, async () => {
          const { thrown, context } = await produce(protocol, row, op);
          expect(thrown).toBeInstanceOf(ConnectError);
          const error = decodeRpcError(thrown, context);
          expect(error.name).toBe(row.expected.name);
          expect(error.code).toBe(row.expected.code);
          expect(error.kind).toBe(row.expected.kind);
          expect(error.retryable).toBe(row.expected.retryable);
          if (row.expected.rpcCode !== undefined) {
            expect((error as UnionRpcError).rpcCode).toBe(row.expected.rpcCode);
            expect(error.details.rpcCode).toBe(row.expected.rpcCode);
          }
          if (row.expected.message !== undefined) {
            expect(error.rawMessage).toBe(`${context.method}: ${row.expected.message}`);
          }
          if (op !== "createRun") {
            // The cause is the ConnectError itself when it held nothing to redact.
            expect(error.cause).toBe(thrown);
            expect(error.details.operation).toBe(op);
          }
          row.check?.(error);
        });
      }
    }

    it("rethrows the caller's own abort reason instead of decoding it", async () => {
      const controller = new AbortController();
      const reason = new Error("the user pressed stop");
      const client = server.client(protocol);
      const pending = rejection(() =>
        client.getActionDetails(
          { actionId: { run: { name: "hangs" }, name: "a0" } },
          { signal: controller.signal },
        ),
      );
      setTimeout(() => controller.abort(reason), 20);
      const thrown = await pending;
      expect(isCallerAbort(thrown, controller.signal)).toBe(true);
      expect(() => decodeRpcError(thrown, { signal: controller.signal })).toThrow(reason);
      // Without the signal it is an ordinary CANCELED.
      const decoded = decodeRpcError(thrown);
      expect(decoded).toBeInstanceOf(UnionRpcError);
      expect(decoded.code).toBe("CANCELED");
      expect(decoded.retryable).toBe(true);
    });

    it("returns a FlyteError unchanged", () => {
      const error = new AuthenticationError({ message: "x" });
      expect(decodeRpcError(error, { operation: "createRun" })).toBe(error);
    });
  });
}
