/**
 * `flyte-remote explain`, as a user runs it on a saved or pasted payload: the built CLI
 * as a subprocess, reading a file or stdin.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, toBinary, toJson } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import {
  ActionDetailsSchema,
  ErrorInfo_Kind,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { failureText } from "../../src/testing/index.js";
import { runBuiltCli } from "./built-cli.js";

const dir = mkdtempSync(join(tmpdir(), "flyte-remote-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const oomMessage =
  failureText.podFailedNoMessage + failureText.containerTerminated("r1-a0-2", 137, "OOMKilled", "");

const oomDetails = create(ActionDetailsSchema, {
  id: { run: { project: "ml", domain: "dev", name: "r1" }, name: "a0" },
  status: { phase: ActionPhase.FAILED, attempts: 3 },
  result: { case: "errorInfo", value: { message: oomMessage, kind: ErrorInfo_Kind.USER } },
});
const abortedDetails = create(ActionDetailsSchema, {
  id: { run: { name: "r2" }, name: "a0" },
  status: { phase: ActionPhase.ABORTED, attempts: 1 },
  result: { case: "abortInfo", value: { reason: "superseded" } },
});
const succeededDetails = create(ActionDetailsSchema, {
  status: { phase: ActionPhase.SUCCEEDED, attempts: 1 },
});

/** The labelled value of one line of the report. */
function field(stdout: string, label: string): string | undefined {
  return new RegExp(`^  ${label} +(.*)$`, "m").exec(stdout)?.[1];
}

describe("explain decodes each payload kind", () => {
  it.concurrent.each([
    {
      what: "ActionDetails, binary",
      args: [file("details.pb", toBinary(ActionDetailsSchema, oomDetails))],
      decodedAs: "ActionDetails (binary protobuf)",
      errorClass: "OOMError",
      kind: "user",
      code: "OOMKilled",
      attempts: "3",
    },
    {
      what: "ActionDetails, proto JSON on stdin",
      args: ["-"],
      input: JSON.stringify(toJson(ActionDetailsSchema, abortedDetails)),
      decodedAs: "ActionDetails (proto3 JSON)",
      errorClass: "RunAbortedError",
      kind: "user",
      code: "RunAbortedError",
    },
    {
      what: "ExecutionError, binary",
      args: [
        file(
          "execution-error.pb",
          toBinary(
            ExecutionErrorSchema,
            create(ExecutionErrorSchema, {
              code: "OOMKilled",
              message: "out of memory",
              kind: ExecutionError_ErrorKind.USER,
              worker: "node-7",
            }),
          ),
        ),
      ],
      decodedAs: "ExecutionError (binary protobuf)",
      errorClass: "OOMError",
      kind: "user",
      code: "OOMKilled",
      worker: "node-7",
    },
    {
      what: "ExecutionError, proto JSON",
      args: [
        file(
          "execution-error.json",
          JSON.stringify({ code: "ErrorFileNotFound", message: "no error file", kind: "SYSTEM" }),
        ),
      ],
      decodedAs: "ExecutionError (proto3 JSON)",
      errorClass: "RuntimeSystemError",
      kind: "system",
      code: "ErrorFileNotFound",
    },
    {
      what: "ErrorDocument (error.pb)",
      args: [
        file(
          "error.pb",
          toBinary(
            ErrorDocumentSchema,
            create(ErrorDocumentSchema, {
              error: {
                code: "ValueError",
                message: "row 17: expected 3 columns",
                kind: ContainerError_Kind.RECOVERABLE,
                origin: ExecutionError_ErrorKind.USER,
              },
            }),
          ),
        ),
      ],
      decodedAs: "ErrorDocument (error.pb) (binary protobuf)",
      errorClass: "CustomError",
      kind: "user",
      code: "ValueError",
    },
    {
      what: "ErrorInfo, JSON",
      args: [
        file(
          "error-info.json",
          JSON.stringify({ message: failureText.retriesExhausted(3), kind: "KIND_USER" }),
        ),
      ],
      decodedAs: "ErrorInfo (proto3 JSON)",
      errorClass: "RetriesExhaustedError",
      kind: "user",
      code: "MaxRetriesExceeded",
    },
    {
      what: "a plain message on stdin, with --kind",
      args: ["--kind", "user"],
      input: `${failureText.invalidImageName("ghcr.io/acme/x::1")}\n`,
      decodedAs: "a plain failure message (text)",
      errorClass: "InvalidImageNameError",
      kind: "user",
      code: "InvalidImageName",
    },
    {
      what: "JSON forced to be a message with --as",
      args: ["--as", "message", "--kind", "system"],
      input: '{"not": "a payload"}',
      decodedAs: "a plain failure message (text)",
      errorClass: "RuntimeSystemError",
      kind: "system",
      code: "SystemError",
    },
  ])("$what", async ({ args, input, decodedAs, errorClass, kind, code, ...more }) => {
    const result = await runBuiltCli(["explain", ...args], input === undefined ? {} : { input });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").slice(0, 2)).toEqual([
      `Decoded as ${decodedAs}.`,
      "flyte-remote would raise:",
    ]);
    expect(field(result.stdout, "class")).toBe(errorClass);
    expect(field(result.stdout, "kind")).toBe(kind);
    expect(field(result.stdout, "code")).toBe(code);
    for (const label of ["retryable", "http status", "message", "hint"])
      expect(field(result.stdout, label)).toBeTruthy();
    if ("attempts" in more) expect(field(result.stdout, "attempts")).toBe(more.attempts);
    if ("worker" in more) expect(field(result.stdout, "worker")).toBe(more.worker);
  });
});

describe("explain output", () => {
  it("--json prints only the problem details", async () => {
    const path = file("details-json.pb", toBinary(ActionDetailsSchema, oomDetails));
    const result = await runBuiltCli(["explain", path, "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: expect.stringMatching(/\/oom-error$/),
      status: 422,
      code: "OOMKilled",
      kind: "user",
      attempts: 3,
      retryable: false,
    });
  });

  it("says when there is no failure", async () => {
    const result = await runBuiltCli([
      "explain",
      file("ok.pb", toBinary(ActionDetailsSchema, succeededDetails)),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Decoded as ActionDetails (binary protobuf).\nNo failure: the action is SUCCEEDED, which is not a failure.\n",
    );
  });

  it("colours a terminal-like stdout only when NO_COLOR is unset", async () => {
    const path = file("colour.json", JSON.stringify({ code: "OOMKilled", kind: "USER" }));
    const coloured = await runBuiltCli(["explain", path], { env: { FORCE_COLOR: "1" } });
    expect(coloured.stdout).toContain("\x1b[1mOOMError\x1b[22m");
    const plain = await runBuiltCli(["explain", path], {
      env: { FORCE_COLOR: "1", NO_COLOR: "1" },
    });
    expect(plain.stdout).not.toContain("\x1b[");
    expect(field(plain.stdout, "class")).toBe("OOMError");
  });

  it.concurrent.each([
    [["/no/such/file.pb"], "cannot read '/no/such/file.pb': no such file"],
    [
      ["--as", "protobuf"],
      "--as must be one of actiondetails, executionerror, errordocument, errorinfo, message, got 'protobuf'",
    ],
  ])("exits 64 for %j", async (args, message) => {
    const result = await runBuiltCli(["explain", ...args], { input: "x" });
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
  });

  it("exits 64 for binary input that is no payload", async () => {
    const result = await runBuiltCli([
      "explain",
      file("garbage.bin", new Uint8Array([0xff, 0xfe, 0x00, 0x07])),
    ]);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(
      /parses as none of ActionDetails, ExecutionError or ErrorDocument/,
    );
  });
});
