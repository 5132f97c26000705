import { pathToFileURL } from "node:url";
import { type DescFile, type DescMessage, equals } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, test } from "vitest";
import { type DiffReport, diffDescriptors, indexSchema } from "./descriptor-diff.js";
import {
  listFiles,
  loadOracleFiles,
  loadOurFiles,
  ourGenRoot,
  ourProtoFileNames,
} from "./embedded-descriptors.js";
import { googleapisErrorDetailsFile } from "./googleapis-error-details.js";
import { NEWER_THAN_ORACLE } from "./newer-than-oracle.js";

const ERROR_DETAILS = "google/rpc/error_details.proto";

const ours = loadOurFiles();
const oracle = loadOracleFiles();
const oursVsOracle = [...ours.values()].filter((f) => f.name !== ERROR_DETAILS);
const ourErrorDetails = ours.get(ERROR_DETAILS);

/** The generated modules as the client loads them, to count declarations independently. */
let runtimeFiles: DescFile[] = [];
beforeAll(async () => {
  runtimeFiles = [];
  for (const path of listFiles(ourGenRoot, "_pb.ts")) {
    const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (name.startsWith("file_")) runtimeFiles.push(value as DescFile);
    }
  }
});

/** Full names of what a DescFile declares, walked with protobuf-es' reflection API. */
function declared(files: readonly DescFile[]) {
  const out = { messages: [] as string[], fields: [] as string[], oneofs: [] as string[] };
  const enums: string[] = [];
  const enumValues: string[] = [];
  const rpcs: string[] = [];
  const walk = (m: DescMessage) => {
    out.messages.push(m.typeName);
    for (const f of m.fields) out.fields.push(`${m.typeName}.${f.name}`);
    // protobuf-es hides proto3 `optional`'s synthetic oneofs; the raw descriptor still has them.
    for (const o of m.proto.oneofDecl) out.oneofs.push(`${m.typeName}.${o.name}`);
    for (const e of m.nestedEnums) {
      enums.push(e.typeName);
      for (const v of e.values) enumValues.push(`${e.typeName}.${v.name}`);
    }
    m.nestedMessages.forEach(walk);
  };
  for (const file of files) {
    file.messages.forEach(walk);
    for (const e of file.enums) {
      enums.push(e.typeName);
      for (const v of e.values) enumValues.push(`${e.typeName}.${v.name}`);
    }
    for (const s of file.services) for (const m of s.methods) rpcs.push(`${s.typeName}.${m.name}`);
  }
  return { ...out, enums, enumValues, rpcs };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("our descriptors are what we think they are", () => {
  test("every proto/ file is generated, and decoding src/gen as text equals the runtime descriptor", () => {
    expect(sorted(ours.keys())).toEqual(ourProtoFileNames());
    expect(sorted(runtimeFiles.map((f) => f.proto.name))).toEqual(ourProtoFileNames());
    for (const file of runtimeFiles) {
      const decoded = ours.get(file.proto.name);
      expect(decoded, file.proto.name).toBeDefined();
      if (decoded)
        expect(equals(FileDescriptorProtoSchema, decoded, file.proto), file.proto.name).toBe(true);
    }
  });

  test("the oracle is the official package and decodes completely", () => {
    expect(oracle.size).toBeGreaterThan(50);
    expect(oracle.has("flyteidl2/workflow/run_service.proto")).toBe(true);
    expect(oracle.has(ERROR_DETAILS)).toBe(false); // hence the googleapis table below
    expect(oracle.has("google/rpc/status.proto")).toBe(true);
  });
});

describe("flyteidl2 and google.rpc.Status against @flyteorg/flyteidl2", () => {
  let report: DiffReport;
  beforeAll(() => {
    report = diffDescriptors(oursVsOracle, oracle.values(), NEWER_THAN_ORACLE);
  });

  test("no mismatches", () => {
    expect(report.mismatches).toEqual([]);
  });

  test("every allowance is used, and only the listed members are newer than the oracle", () => {
    expect(report.staleAllowances).toEqual([]);
    expect(report.allowed.enumValues).toEqual([
      "flyteidl2.common.ActionPhase.ACTION_PHASE_RECOVERED",
    ]);
    expect(report.allowed.messages).toEqual(["flyteidl2.workflow.SignalInfo"]);
    expect(sorted(report.allowed.fields)).toEqual([
      "flyteidl2.workflow.ActionDetails.signal_info",
      "flyteidl2.workflow.SignalInfo.output",
      "flyteidl2.workflow.SignalInfo.signalled_by",
    ]);
  });

  test("omitted idempotency options are the only advisories", () => {
    // Upstream marks read-only RPCs NO_SIDE_EFFECTS (enables Connect GET). Leaving that out is
    // allowed; declaring a different level would be a mismatch.
    for (const line of report.advisories) {
      expect(line).toMatch(/^rpc \S+: idempotency_level ours IDEMPOTENCY_UNKNOWN, upstream /);
    }
  });

  test("covers every declared message, field, oneof, enum value and RPC", () => {
    const all = declared(runtimeFiles.filter((f) => f.proto.name !== ERROR_DETAILS));
    const mapEntries = new Set(
      [...indexSchema(oursVsOracle).messages]
        .filter(([, m]) => m.proto.options?.mapEntry)
        .map(([name]) => name),
    );
    const parentOf = (name: string) => name.slice(0, name.lastIndexOf("."));
    const covered = (kind: keyof DiffReport["checked"]) =>
      sorted([...report.checked[kind], ...report.allowed[kind]]);
    // Map entry messages (and their key/value) are checked too but are not declarations.
    const coveredFields = covered("fields").filter((f) => !mapEntries.has(parentOf(f)));
    const coveredMessages = covered("messages").filter((m) => !mapEntries.has(m));

    expect(coveredFields).toEqual(sorted(all.fields));
    expect(coveredMessages).toEqual(sorted(all.messages));
    expect(covered("oneofs")).toEqual(sorted(all.oneofs));
    expect(covered("enums")).toEqual(sorted(all.enums));
    expect(covered("enumValues")).toEqual(sorted(all.enumValues));
    expect(covered("rpcs")).toEqual(sorted(all.rpcs));
    expect(covered("files")).toEqual(sorted(oursVsOracle.map((f) => f.name)));

    // Print the coverage so a reader of the CI log sees what "every field" means in numbers.
    const comparedDeclared = report.checked.fields.filter((f) => !mapEntries.has(parentOf(f)));
    console.info(
      `conformance: ${coveredFields.length} declared fields covered = ` +
        `${comparedDeclared.length} compared with the oracle + ${report.allowed.fields.length} allowed newer ` +
        `(plus ${report.checked.fields.length - comparedDeclared.length} map-entry key/value fields); ` +
        `${coveredMessages.length} messages, ${covered("oneofs").length} oneofs, ` +
        `${covered("enumValues").length} enum values (${report.allowed.enumValues.length} allowed newer), ` +
        `${covered("rpcs").length} RPCs, ${covered("files").length} files`,
    );
    // RunService's 16, DataProxyService's GetActionData and TailLogs, RunLogsService's TailLogs,
    // TaskService's GetTaskDetails, and AuthMetadataService's two.
    expect(report.checked.rpcs).toHaveLength(22);
    // Discovery of the sign-in endpoints, checked like the RunService.
    expect(report.checked.rpcs).toEqual(
      expect.arrayContaining([
        "flyteidl2.auth.AuthMetadataService.GetOAuth2Metadata",
        "flyteidl2.auth.AuthMetadataService.GetPublicClientConfig",
      ]),
    );
  });
});

describe("google/rpc/error_details.proto against googleapis' numbering", () => {
  // @flyteorg/flyteidl2 does not ship error_details.proto, so the reference is a hand-written
  // table of googleapis' field numbers and types (see googleapis-error-details.ts).
  test("no mismatches, and every declared field is in the table", () => {
    expect(ourErrorDetails).toBeDefined();
    if (!ourErrorDetails) return;
    const reference = googleapisErrorDetailsFile();
    const report = diffDescriptors([ourErrorDetails], [reference]);
    expect(report.mismatches).toEqual([]);
    const all = declared(runtimeFiles.filter((f) => f.proto.name === ERROR_DETAILS));
    const mapEntries = new Set(
      [...indexSchema([ourErrorDetails]).messages]
        .filter(([, m]) => m.proto.options?.mapEntry)
        .map(([name]) => name),
    );
    const fields = report.checked.fields.filter(
      (f) => !mapEntries.has(f.slice(0, f.lastIndexOf("."))),
    );
    expect(sorted(fields)).toEqual(sorted(all.fields));
    console.info(
      `conformance: error_details.proto: ${fields.length} declared fields match googleapis`,
    );
    // The ten detail messages the client decodes.
    expect(sorted(all.messages.filter((m) => m.split(".").length === 3))).toEqual(
      sorted([
        "google.rpc.ErrorInfo",
        "google.rpc.RetryInfo",
        "google.rpc.DebugInfo",
        "google.rpc.QuotaFailure",
        "google.rpc.PreconditionFailure",
        "google.rpc.BadRequest",
        "google.rpc.RequestInfo",
        "google.rpc.ResourceInfo",
        "google.rpc.Help",
        "google.rpc.LocalizedMessage",
      ]),
    );
  });
});
