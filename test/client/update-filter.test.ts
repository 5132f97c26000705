import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UpdateFilter } from "../../src/client/update-filter.js";
import { isTerminalPhase } from "../../src/decode/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { ActionDetailsSchema } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";

const details = (phase: number, attempts: number) =>
  create(ActionDetailsSchema, { status: { phase, attempts } });

/** The rule written out plainly: never a (phase, attempt) twice, never back in order. */
class ReferenceFilter {
  private readonly seen = new Set<string>();
  private last: [number, number] = [-1, -1];
  accept(phase: number, attempt: number): boolean {
    const order = (p: number) =>
      p === ActionPhase.UNSPECIFIED
        ? 0
        : p === ActionPhase.QUEUED
          ? 1
          : p === ActionPhase.WAITING_FOR_RESOURCES
            ? 2
            : p === ActionPhase.INITIALIZING
              ? 3
              : p === ActionPhase.RUNNING || p === ActionPhase.PAUSED
                ? 4
                : isTerminalPhase(p)
                  ? 6
                  : 5;
    const key = `${phase}/${attempt}`;
    const r = order(phase);
    if (this.seen.has(key)) return false;
    if (attempt < this.last[0] || (attempt === this.last[0] && r < this.last[1])) return false;
    this.seen.add(key);
    this.last = [attempt, r];
    return true;
  }
}

describe("UpdateFilter", () => {
  it("lets RUNNING and PAUSED alternate once each per attempt, then drops repeats", () => {
    const filter = new UpdateFilter();
    const seen = [
      [ActionPhase.QUEUED, 1],
      [ActionPhase.RUNNING, 1],
      [ActionPhase.PAUSED, 1],
      [ActionPhase.RUNNING, 1],
      [ActionPhase.QUEUED, 1],
      [ActionPhase.RUNNING, 2],
      [ActionPhase.SUCCEEDED, 2],
      [ActionPhase.SUCCEEDED, 2],
    ].map(([p, a]) => filter.accept(details(p ?? 0, a ?? 0)));
    expect(seen).toEqual([true, true, true, false, false, true, true, false]);
  });

  it("agrees with the plain rule on any sequence of states", () => {
    const phases = [
      ActionPhase.UNSPECIFIED,
      ActionPhase.QUEUED,
      ActionPhase.WAITING_FOR_RESOURCES,
      ActionPhase.INITIALIZING,
      ActionPhase.RUNNING,
      ActionPhase.PAUSED,
      ActionPhase.SUCCEEDED,
      ActionPhase.FAILED,
      ActionPhase.ABORTED,
      ActionPhase.TIMED_OUT,
      42,
      43,
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...phases), fc.integer({ min: 0, max: 3 })), {
          maxLength: 40,
        }),
        (states) => {
          const filter = new UpdateFilter();
          const reference = new ReferenceFilter();
          for (const [phase, attempt] of states) {
            expect(filter.accept(details(phase, attempt))).toBe(reference.accept(phase, attempt));
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
