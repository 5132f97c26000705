import {
  create,
  type DescMessage,
  equals,
  fromBinary,
  fromJson,
  isFieldSet,
  type JsonObject,
  type JsonValue,
  type Message,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  ErrorDocumentSchema,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import { PrimitiveSchema } from "../../src/gen/flyteidl2/core/literals_pb.js";
import {
  ActionDetailsSchema,
  RunDetailsSchema,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { projectJson } from "./json-projection.js";
import { createOracleRegistry, requireMessage } from "./oracle-registry.js";
import {
  abortedActionDetails,
  errorDocument,
  executionError,
  failedActionDetails,
  failedRunDetails,
  upstreamActionDetailsJson,
  upstreamErrorDocumentJson,
  upstreamExecutionErrorJson,
  upstreamOnlyPaths,
  upstreamRunDetailsJson,
  upstreamRunDetailsOnlyPaths,
} from "./rich-messages.js";

const registry = createOracleRegistry([
  "flyteidl2/workflow/run_definition.proto",
  "flyteidl2/core/execution.proto",
  "flyteidl2/task/task_definition.proto",
]);
const upstream = {
  ActionDetails: requireMessage(registry, "flyteidl2.workflow.ActionDetails"),
  RunDetails: requireMessage(registry, "flyteidl2.workflow.RunDetails"),
  ExecutionError: requireMessage(registry, "flyteidl2.core.ExecutionError"),
  ErrorDocument: requireMessage(registry, "flyteidl2.core.ErrorDocument"),
  Environment: requireMessage(registry, "flyteidl2.task.Environment"),
};

const upJson = (desc: DescMessage, msg: Message) => toJson(desc, msg, { registry });

/** Every message on this path carries no unknown fields, however deep. */
function unknownFieldNumbers(value: unknown, path = "", out: string[] = []): string[] {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      unknownFieldNumbers(v, `${path}[${i}]`, out);
    });
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === "$unknown" && Array.isArray(v)) {
      for (const u of v as { no: number }[]) out.push(`${path || "(root)"}#${u.no}`);
    } else {
      unknownFieldNumbers(v, path ? `${path}.${key}` : key, out);
    }
  }
  return out;
}

describe("ours -> upstream: encode with our schema, decode with the official one", () => {
  const cases = [
    // name, our schema, message, upstream schema, top-level fields deliberately left unset
    [
      "ActionDetails (failed, 2 attempts)",
      ActionDetailsSchema,
      failedActionDetails(),
      upstream.ActionDetails,
      ["abort_info", "signal_info", "trace"],
    ],
    [
      "ActionDetails (aborted)",
      ActionDetailsSchema,
      abortedActionDetails(),
      upstream.ActionDetails,
      ["metadata", "error_info", "signal_info", "task", "trace", "attempts"],
    ],
    ["RunDetails", RunDetailsSchema, failedRunDetails(), upstream.RunDetails, []],
    ["ExecutionError", ExecutionErrorSchema, executionError(), upstream.ExecutionError, []],
    ["ErrorDocument", ErrorDocumentSchema, errorDocument(), upstream.ErrorDocument, []],
  ] as const;

  test.each(cases)("%s", (_name, ourSchema, ourMsg, upDesc, unset) => {
    const bytes = toBinary(ourSchema as DescMessage, ourMsg);
    const decoded = fromBinary(upDesc, bytes);

    const ourJson = toJson(ourSchema as DescMessage, ourMsg);
    expect(upJson(upDesc, decoded)).toEqual(ourJson);
    // The fixtures really are rich: a thin message would make this test meaningless.
    const schema = ourSchema as DescMessage;
    const unsetFields = schema.fields.filter((f) => !isFieldSet(ourMsg, f)).map((f) => f.name);
    expect(unsetFields).toEqual(unset);
    // Upstream understood every field we wrote ...
    expect(unknownFieldNumbers(decoded)).toEqual([]);
    // ... and writes the very same bytes back.
    expect(toBinary(upDesc, decoded)).toEqual(bytes);
  });
});

describe("upstream -> ours: encode with the official schema, decode with ours", () => {
  const cases = [
    [
      "ActionDetails",
      upstream.ActionDetails,
      upstreamActionDetailsJson,
      ActionDetailsSchema,
      upstreamOnlyPaths,
    ],
    [
      "RunDetails",
      upstream.RunDetails,
      upstreamRunDetailsJson,
      RunDetailsSchema,
      upstreamRunDetailsOnlyPaths,
    ],
    [
      "ExecutionError",
      upstream.ExecutionError,
      upstreamExecutionErrorJson,
      ExecutionErrorSchema,
      [],
    ],
    ["ErrorDocument", upstream.ErrorDocument, upstreamErrorDocumentJson, ErrorDocumentSchema, []],
  ] as const;

  test.each(cases)("%s", (_name, upDesc, json, ourSchema, onlyUpstream) => {
    const upMsg = fromJson(upDesc, json, { registry });
    const bytes = toBinary(upDesc, upMsg);
    const ours = fromBinary(ourSchema as DescMessage, bytes);

    // Every field both schemas know reads the same; the rest is exactly what we left out.
    const dropped: string[] = [];
    const expected = projectJson(ourSchema as DescMessage, upJson(upDesc, upMsg), dropped);
    expect(toJson(ourSchema as DescMessage, ours)).toEqual(expected);
    expect(dropped.sort()).toEqual([...onlyUpstream].sort());

    // What we do not know, we keep: writing our message back loses nothing upstream can see.
    const back = fromBinary(upDesc, toBinary(ourSchema as DescMessage, ours));
    expect(equals(upDesc, back, upMsg, { registry, unknown: true })).toBe(true);
    expect(upJson(upDesc, back)).toEqual(json);
  });

  test("a field our subset omits (TaskSpec.environment = 4, inside ActionDetails.task) survives as an unknown field, byte for byte", () => {
    const upMsg = fromJson(upstream.ActionDetails, upstreamActionDetailsJson, { registry });
    const ours = fromBinary(ActionDetailsSchema, toBinary(upstream.ActionDetails, upMsg));

    const envJson = (upstreamActionDetailsJson.task as JsonObject).environment as JsonValue;
    const envBytes = toBinary(
      upstream.Environment,
      fromJson(upstream.Environment, envJson, { registry }),
    );
    expect(ours.spec.case).toBe("task");
    const spec = ours.spec.case === "task" ? ours.spec.value : undefined;
    expect(spec?.shortName).toBe("fetch");
    const unknown = spec?.$unknown ?? [];
    expect(unknown.map((u) => u.no)).toEqual([4]);
    expect(unknown[0]?.wireType).toBe(WireType.LengthDelimited);
    expect(unknown[0]?.data).toEqual(new BinaryWriter().bytes(envBytes).finish());
    // ActionDetails itself has no unknown field left: every member of it is declared.
    expect(ours.$unknown ?? []).toEqual([]);
    // The known parts decoded normally alongside it.
    expect(ours.result.case).toBe("errorInfo");
    expect(ours.status?.phase).toBe(ActionPhase.TIMED_OUT);
    expect(ours.attempts).toHaveLength(1);
  });

  test("re-encoding is byte-identical when the unknown fields are the last ones upstream writes", () => {
    // protobuf-es writes known fields first and unknown ones after them, so bytes match when
    // upstream would also have written the unknown fields last: here TaskSpec.environment (4)
    // follows short_name (3).
    const json: JsonObject = {
      id: { run: { name: "rx" }, name: "a1" },
      status: { phase: "ACTION_PHASE_FAILED" },
      errorInfo: { message: "boom", kind: "KIND_USER" },
      task: { shortName: "fetch", environment: { name: "gpu" } },
    };
    const bytes = toBinary(
      upstream.ActionDetails,
      fromJson(upstream.ActionDetails, json, { registry }),
    );
    const ours = fromBinary(ActionDetailsSchema, bytes);
    const spec = ours.spec.case === "task" ? ours.spec.value : undefined;
    expect(spec?.$unknown?.map((u) => u.no)).toEqual([4]);
    expect(toBinary(ActionDetailsSchema, ours)).toEqual(bytes);
  });
});

describe("members newer than the oracle pass through an older peer unharmed", () => {
  test("signal_info (10) and ACTION_PHASE_RECOVERED (10) survive upstream 2.0.16", () => {
    const ours = create(ActionDetailsSchema, {
      id: { run: { name: "rx" }, name: "a2" },
      status: { phase: ActionPhase.RECOVERED, attempts: 1 },
      result: {
        case: "signalInfo",
        value: {
          signalledBy: { principal: { case: "user", value: { id: { subject: "u-1" } } } },
          output: {
            value: {
              case: "scalar",
              value: {
                value: {
                  case: "primitive",
                  value: create(PrimitiveSchema, { value: { case: "boolean", value: true } }),
                },
              },
            },
          },
        },
      },
    });
    const bytes = toBinary(ActionDetailsSchema, ours);
    const old = fromBinary(upstream.ActionDetails, bytes);
    // The old schema keeps the unknown oneof member as an unknown field and the unknown enum
    // number as a plain number (proto3 enums are open).
    expect(old.$unknown?.map((u) => u.no)).toEqual([10]);
    expect(upJson(upstream.ActionDetails, old)).toMatchObject({ status: { phase: 10 } });
    const roundTrip = fromBinary(ActionDetailsSchema, toBinary(upstream.ActionDetails, old));
    expect(equals(ActionDetailsSchema, roundTrip, ours)).toBe(true);
    expect(roundTrip.result.case).toBe("signalInfo");
  });
});
