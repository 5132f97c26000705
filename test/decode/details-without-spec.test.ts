import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { parseDetailsWithoutSpec } from "../../src/decode/details-without-spec.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { ErrorInfo_Kind } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { GetActionDetailsResponseSchema } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";

function reply(spec: "task" | "trace" | "none") {
  return create(GetActionDetailsResponseSchema, {
    details: {
      id: { run: { project: "p", domain: "d", name: "r1" }, name: "a0" },
      status: { phase: ActionPhase.FAILED, attempts: 2 },
      result: { case: "errorInfo", value: { message: "boom", kind: ErrorInfo_Kind.USER } },
      attempts: [
        { attempt: 1, phase: ActionPhase.FAILED },
        { attempt: 2, phase: ActionPhase.FAILED },
      ],
      ...(spec === "task"
        ? { spec: { case: "task", value: { taskTemplate: { type: "python" } } } }
        : spec === "trace"
          ? { spec: { case: "trace", value: { interface: {} } } }
          : {}),
    },
  });
}

describe("parseDetailsWithoutSpec", () => {
  it.each(["task", "trace", "none"] as const)(
    "reads every field but the %s spec, and keeps the spec's bytes so nothing is lost",
    (spec) => {
      const original = reply(spec);
      const bytes = toBinary(GetActionDetailsResponseSchema, original);
      const parsed = parseDetailsWithoutSpec(bytes);
      expect(parsed.details?.spec.case).toBeUndefined();
      expect(parsed.details?.status).toEqual(original.details?.status);
      expect(parsed.details?.result).toEqual(original.details?.result);
      expect(parsed.details?.attempts).toEqual(original.details?.attempts);
      expect(parsed.details?.id).toEqual(original.details?.id);
      // Serialised again, the unknown fields bring the spec back.
      const again = fromBinary(
        GetActionDetailsResponseSchema,
        toBinary(GetActionDetailsResponseSchema, parsed),
      );
      expect(equals(GetActionDetailsResponseSchema, again, original)).toBe(true);
    },
  );

  it("fails on bytes that are not a reply, as fromBinary would", () => {
    expect(() => parseDetailsWithoutSpec(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow();
  });
});
