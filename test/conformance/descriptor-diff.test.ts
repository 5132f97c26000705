import { clearField, clone, create } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  MethodOptions_IdempotencyLevel,
  MethodOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, test } from "vitest";
import { diffDescriptors } from "./descriptor-diff.js";
import { loadOracleFiles, loadOurFiles } from "./embedded-descriptors.js";
import { googleapisErrorDetailsFile } from "./googleapis-error-details.js";
import { NEWER_THAN_ORACLE, type NewerMember } from "./newer-than-oracle.js";

// The checker must catch every kind of drift; each test breaks one thing in an in-memory
// copy of our descriptors and expects exactly the line(s) describing it.

const oracle = loadOracleFiles();
const pristine = [...loadOurFiles().values()].filter(
  (f) => f.name !== "google/rpc/error_details.proto",
);

type Files = Map<string, FileDescriptorProto>;

function file(files: Files, name: string): FileDescriptorProto {
  const f = files.get(name);
  if (!f) throw new Error(`no ${name}`);
  return f;
}

function message(files: Files, fileName: string, path: string): DescriptorProto {
  const [first, ...rest] = path.split(".");
  let m = file(files, fileName).messageType.find((x) => x.name === first);
  for (const part of rest) m = m?.nestedType.find((x) => x.name === part);
  if (!m) throw new Error(`no ${path} in ${fileName}`);
  return m;
}

function field(m: DescriptorProto, name: string): FieldDescriptorProto {
  const f = m.field.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${m.name}`);
  return f;
}

const RUN_DEFINITION = "flyteidl2/workflow/run_definition.proto";
const RUN_SERVICE = "flyteidl2/workflow/run_service.proto";

/** Diffs a mutated deep copy of our descriptors; the originals stay untouched. */
function mismatchesAfter(
  mutate: (files: Files) => void,
  allow: readonly NewerMember[] = NEWER_THAN_ORACLE,
): string[] {
  const files: Files = new Map(pristine.map((f) => [f.name, clone(FileDescriptorProtoSchema, f)]));
  mutate(files);
  return diffDescriptors(files.values(), oracle.values(), allow).mismatches;
}

const AD = "flyteidl2.workflow.ActionDetails";

describe("descriptor-diff reports each kind of drift", () => {
  test("control: an unmodified copy has no mismatches", () => {
    expect(mismatchesAfter(() => {})).toEqual([]);
  });

  test("a changed field number", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ActionDetails"), "error_info").number = 6;
    });
    expect(lines).toEqual([`field ${AD}.error_info: number ours 6, upstream 4`]);
  });

  test("a changed scalar type", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ErrorInfo"), "message").type =
        FieldDescriptorProto_Type.BYTES;
    });
    expect(lines).toEqual([
      "field flyteidl2.workflow.ErrorInfo.message: type ours BYTES, upstream STRING",
    ]);
  });

  test("a changed message type name", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ActionDetails"), "abort_info").typeName =
        ".flyteidl2.workflow.ErrorInfo";
    });
    expect(lines).toEqual([
      `field ${AD}.abort_info: typeName ours flyteidl2.workflow.ErrorInfo, upstream flyteidl2.workflow.AbortInfo`,
    ]);
  });

  test("an enum field turned into an integer", () => {
    const lines = mismatchesAfter((files) => {
      const phase = field(message(files, RUN_DEFINITION, "ActionStatus"), "phase");
      phase.type = FieldDescriptorProto_Type.INT32;
      phase.typeName = "";
    });
    expect(lines).toEqual([
      "field flyteidl2.workflow.ActionStatus.phase: type ours INT32, upstream ENUM",
      "field flyteidl2.workflow.ActionStatus.phase: typeName ours (scalar), upstream flyteidl2.common.ActionPhase",
    ]);
  });

  test("a field taken out of its oneof", () => {
    const lines = mismatchesAfter((files) => {
      const f = field(message(files, RUN_DEFINITION, "ActionDetails"), "error_info");
      clearField(f, FieldDescriptorProtoSchema.field.oneofIndex);
    });
    expect(lines).toEqual([`field ${AD}.error_info: oneof ours (none), upstream result`]);
  });

  test("a field moved into a oneof", () => {
    const lines = mismatchesAfter((files) => {
      const m = message(files, RUN_DEFINITION, "ActionDetails");
      field(m, "status").oneofIndex = m.oneofDecl.findIndex((o) => o.name === "result");
    });
    expect(lines).toEqual([`field ${AD}.status: oneof ours result, upstream (none)`]);
  });

  test("a renamed oneof", () => {
    const lines = mismatchesAfter((files) => {
      const m = message(files, RUN_DEFINITION, "ActionDetails");
      const decl = m.oneofDecl.find((o) => o.name === "result");
      if (decl) decl.name = "outcome";
    });
    expect(lines).toContain(`oneof ${AD}.outcome: missing upstream`);
    expect(lines).toContain(`field ${AD}.error_info: oneof ours outcome, upstream result`);
    expect(lines).toContain(`field ${AD}.signal_info: oneof outcome does not exist upstream`);
  });

  test("a changed label", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ActionDetails"), "attempts").label =
        FieldDescriptorProto_Label.OPTIONAL;
    });
    expect(lines).toEqual([`field ${AD}.attempts: label ours OPTIONAL, upstream REPEATED`]);
  });

  test("a dropped proto3 optional", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ActionStatus"), "end_time").proto3Optional = false;
    });
    expect(lines).toContain(
      "field flyteidl2.workflow.ActionStatus.end_time: proto3Optional ours false, upstream true",
    );
  });

  test("a map that is no longer a map", () => {
    const lines = mismatchesAfter((files) => {
      const entry = message(files, RUN_DEFINITION, "EnrichedAction.ChildrenPhaseCountsEntry");
      if (entry.options) entry.options.mapEntry = false;
    });
    expect(lines).toContain(
      "field flyteidl2.workflow.EnrichedAction.children_phase_counts: map ours no, upstream map<INT32, INT32>",
    );
  });

  test("a changed enum value number", () => {
    const lines = mismatchesAfter((files) => {
      const phase = file(files, "flyteidl2/common/phase.proto").enumType[0];
      const failed = phase?.value.find((v) => v.name === "ACTION_PHASE_FAILED");
      if (failed) failed.number = 11;
    });
    expect(lines).toEqual([
      "enum value flyteidl2.common.ActionPhase.ACTION_PHASE_FAILED: number ours 11, upstream 6",
    ]);
  });

  test("changed RPC streaming kind and types", () => {
    const lines = mismatchesAfter((files) => {
      const methods = file(files, RUN_SERVICE).service[0]?.method ?? [];
      const watch = methods.find((m) => m.name === "WatchRunDetails");
      if (watch) watch.serverStreaming = false;
      const get = methods.find((m) => m.name === "GetRunDetails");
      if (get) get.outputType = ".flyteidl2.workflow.WatchRunDetailsResponse";
    });
    expect(lines).toEqual([
      "rpc flyteidl2.workflow.RunService.GetRunDetails: output ours flyteidl2.workflow.WatchRunDetailsResponse, upstream flyteidl2.workflow.GetRunDetailsResponse",
      "rpc flyteidl2.workflow.RunService.WatchRunDetails: server streaming ours false, upstream true",
    ]);
  });

  test("a conflicting idempotency level (omitting it is allowed, contradicting is not)", () => {
    const lines = mismatchesAfter((files) => {
      const create_ = file(files, RUN_SERVICE).service[0]?.method.find(
        (m) => m.name === "CreateRun",
      );
      if (create_) {
        create_.options = create(MethodOptionsSchema, {
          idempotencyLevel: MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
        });
      }
    });
    expect(lines).toEqual([
      "rpc flyteidl2.workflow.RunService.CreateRun: idempotency_level ours NO_SIDE_EFFECTS, upstream IDEMPOTENCY_UNKNOWN",
    ]);
  });

  test("an invented field and a renamed one", () => {
    const lines = mismatchesAfter((files) => {
      const m = message(files, RUN_DEFINITION, "ActionDetails");
      m.field.push(
        create(FieldDescriptorProtoSchema, {
          name: "bogus",
          number: 99,
          type: FieldDescriptorProto_Type.STRING,
          label: FieldDescriptorProto_Label.OPTIONAL,
        }),
      );
      field(m, "abort_info").name = "abortion";
    });
    expect(lines).toEqual([
      `field ${AD}.abortion: missing upstream (upstream calls 5 abort_info)`,
      `field ${AD}.bogus: missing upstream`,
    ]);
  });

  test("without the allow-list, exactly the three newer members fail", () => {
    expect(mismatchesAfter(() => {}, [])).toEqual([
      "enum value flyteidl2.common.ActionPhase.ACTION_PHASE_RECOVERED: missing upstream",
      `field ${AD}.signal_info: missing upstream`,
      "message flyteidl2.workflow.SignalInfo: missing upstream",
    ]);
  });

  test("the allow-list pins numbers and refuses clashes", () => {
    const lines = mismatchesAfter((files) => {
      field(message(files, RUN_DEFINITION, "ActionDetails"), "signal_info").number = 11;
      const phase = file(files, "flyteidl2/common/phase.proto").enumType[0];
      const recovered = phase?.value.find((v) => v.name === "ACTION_PHASE_RECOVERED");
      if (recovered) recovered.number = 7;
    });
    expect(lines).toEqual([
      "enum value flyteidl2.common.ActionPhase.ACTION_PHASE_RECOVERED: allowed as 10, ours is 7",
      "enum value flyteidl2.common.ActionPhase.ACTION_PHASE_RECOVERED: upstream uses 7 for ACTION_PHASE_ABORTED",
      `field ${AD}.signal_info: allowed as 10 in oneof result, ours is 11 in result`,
    ]);
  });

  test("an allowance upstream no longer needs is reported as stale", () => {
    const extra: NewerMember = {
      kind: "enumValue",
      fullName: "flyteidl2.common.ActionPhase.ACTION_PHASE_FAILED",
      number: 6,
    };
    const files = pristine.map((f) => clone(FileDescriptorProtoSchema, f));
    const report = diffDescriptors(files, oracle.values(), [...NEWER_THAN_ORACLE, extra]);
    expect(report.staleAllowances).toEqual([
      "enumValue flyteidl2.common.ActionPhase.ACTION_PHASE_FAILED: allowed as newer than the oracle, but not needed",
    ]);
  });

  test("the googleapis table catches a renumbered error detail field", () => {
    const ours = loadOurFiles().get("google/rpc/error_details.proto");
    if (!ours) throw new Error("no error_details.proto");
    const copy = clone(FileDescriptorProtoSchema, ours);
    const errorInfo = copy.messageType.find((m) => m.name === "ErrorInfo");
    if (errorInfo) field(errorInfo, "domain").number = 4;
    expect(diffDescriptors([copy], [googleapisErrorDetailsFile()]).mismatches).toEqual([
      "field google.rpc.ErrorInfo.domain: number ours 4, upstream 2",
    ]);
  });
});
