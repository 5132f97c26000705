import { clone, create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterEach, describe, expect, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  createRunStore,
  isTerminalDetails,
  outcomeCatalogue,
  parseScenario,
  type RunStore,
  RunStoreError,
  type TerminalEvent,
} from "../../src/testing/index.js";

let stores: RunStore[] = [];
function store(options: Parameters<typeof createRunStore>[0] = { speed: 1000 }): RunStore {
  const s = createRunStore(options);
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores) s.dispose();
  stores = [];
});

function terminalOf(s: RunStore, name: string): Promise<TerminalEvent> {
  return new Promise((resolve) => {
    const off = s.on("terminal", (e) => {
      if (e.name !== name) return;
      off();
      resolve(e);
    });
  });
}

describe("createRunStore", () => {
  test("a run starts QUEUED with the defaults, and every outcome reaches its catalogue phase", async () => {
    const s = store();
    expect(s.defaults).toEqual({ org: "", project: "flytesnacks", domain: "development" });
    const terminal = outcomeCatalogue.filter((o) => o.terminal);
    const ends = terminal.map((o) => {
      const id = s.create({ scenario: o.name });
      expect(s.get(id.name)?.status?.phase).toBe(ActionPhase.QUEUED);
      expect(id.project).toBe("flytesnacks");
      return terminalOf(s, id.name).then((e) => [o.name, e.phase] as const);
    });
    expect(Object.fromEntries(await Promise.all(ends))).toEqual(
      Object.fromEntries(terminal.map((o) => [o.name, o.finalPhase])),
    );
  });

  test("refuses unknown scenarios, taken names and over-long names", () => {
    const s = store();
    s.create({ name: "taken", scenario: "succeed" });
    const reasonOf = (f: () => void) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return e instanceof RunStoreError ? e.reason : "other";
      }
    };
    expect(reasonOf(() => s.create({ scenario: "nope" }))).toBe("invalid-argument");
    expect(reasonOf(() => s.create({ name: "taken", scenario: "oom" }))).toBe("already-exists");
    expect(reasonOf(() => s.create({ name: "y".repeat(31), scenario: "oom" }))).toBe(
      "invalid-argument",
    );
    expect(reasonOf(() => s.abort("ghost"))).toBe("not-found");
  });

  test("held runs wait at their hold point, then finish together inside release()", async () => {
    const s = store();
    const names = ["h-1", "h-2", "h-3"];
    const held = new Set<string>();
    const allHeld = new Promise<void>((resolve) => {
      s.on("held", (e) => {
        held.add(e.name);
        expect(e.phase).toBe(ActionPhase.RUNNING);
        if (held.size === names.length) resolve();
      });
    });
    const ended: TerminalEvent[] = [];
    s.on("terminal", (e) => ended.push(e));
    for (const name of names) s.create({ name, scenario: "succeed", hold: true });
    await allHeld;
    expect(names.map((n) => s.isHeld(n))).toEqual([true, true, true]);
    expect(ended).toEqual([]);
    s.release();
    // All three terminal states were written during the release() call.
    expect(ended.map((e) => e.name).sort()).toEqual(names);
    expect(ended.every((e) => e.phase === ActionPhase.SUCCEEDED)).toBe(true);
    expect(names.map((n) => s.isHeld(n))).toEqual([false, false, false]);
  });

  test("whenHeld() waits for every named run, and refuses runs that will never be held", async () => {
    const s = store();
    s.create({ name: "w-1", scenario: "succeed", hold: true });
    s.create({ name: "w-2", scenario: "oom", hold: true });
    s.create({ name: "w-free", scenario: "succeed" });
    const first = s.whenHeld(["w-1", "w-2"]);
    expect(s.isHeld("w-1") || s.isHeld("w-2")).toBe(false);
    await first;
    expect([s.isHeld("w-1"), s.isHeld("w-2")]).toEqual([true, true]);
    // Already there: at once.
    await s.whenHeld(["w-1"]);
    await expect(s.whenHeld(["ghost"])).rejects.toMatchObject({ reason: "not-found" });
    await expect(s.whenHeld(["w-free"])).rejects.toMatchObject({ reason: "invalid-argument" });
    s.release(["w-1"]);
    await expect(s.whenHeld(["w-1"])).rejects.toMatchObject({ reason: "invalid-argument" });
  });

  test("release() by name lets only those runs go", async () => {
    const s = store();
    s.create({ name: "r-a", scenario: "user-error", hold: true });
    s.create({ name: "r-b", scenario: "user-error", hold: true });
    await s.whenHeld(["r-a", "r-b"]);
    s.release(["r-a"]);
    expect(s.get("r-a")?.status?.phase).toBe(ActionPhase.FAILED);
    expect(s.get("r-b")?.status?.phase).toBe(ActionPhase.RUNNING);
    expect(s.isHeld("r-b")).toBe(true);
  });

  test("push() scripts any payload; a terminal one ends the run", async () => {
    const s = store({ speed: 1 });
    const id = s.create({ scenario: "paused" });
    const custom = clone(ActionDetailsSchema, s.get(id.name) as ActionDetails);
    custom.status = {
      ...(custom.status as NonNullable<ActionDetails["status"]>),
      phase: 99 as ActionPhase,
    };
    custom.result = {
      case: "errorInfo",
      value: { $typeName: "flyteidl2.workflow.ErrorInfo", message: "scripted", kind: 2 },
    };
    s.push(id.name, custom);
    expect(s.get(id.name)?.status?.phase).toBe(99);
    expect(isTerminalDetails(s.get(id.name) as ActionDetails)).toBe(false);
    const done = terminalOf(s, id.name);
    const final = clone(ActionDetailsSchema, custom);
    if (final.status !== undefined) final.status.endTime = timestampFromMs(Date.now());
    s.push(id.name, final);
    expect((await done).phase).toBe(99);
    // The timeline no longer moves the run.
    s.abort(id.name);
    expect(s.get(id.name)?.status?.phase).toBe(99);
  });

  test("abort() records the reason and who aborted", () => {
    const s = store({ speed: 1 });
    const id = s.create({ scenario: "succeed" });
    s.abort(id.name, "stop", "ops@example.com");
    const details = s.get(id.name);
    expect(details?.status?.phase).toBe(ActionPhase.ABORTED);
    if (details?.result.case !== "abortInfo") throw new Error("no AbortInfo");
    expect(details.result.value.reason).toBe("stop");
    const principal = details.result.value.abortedBy?.principal;
    expect(principal?.case === "user" && principal.value.spec?.email).toBe("ops@example.com");
  });

  test("a run with watch faults waits for them, up to faultGraceMs", async () => {
    const s = store({ speed: 1000, faultGraceMs: 50 });
    const id = s.create({ scenario: "stream-drop+succeed" });
    const e = await terminalOf(s, id.name);
    expect(e.phase).toBe(ActionPhase.SUCCEEDED);
  });

  test("dispose() stops every timeline", async () => {
    const s = store({ speed: 1000 });
    const id = s.create({ scenario: "succeed" });
    s.dispose();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(s.get(id.name)?.status?.phase).toBe(ActionPhase.QUEUED);
  });
});

describe("isTerminalDetails", () => {
  test("terminal phases, and unknown phases only with an end time", () => {
    const at = (phase: number, end?: boolean) =>
      create(ActionDetailsSchema, {
        status: { phase, ...(end === true ? { endTime: timestampFromMs(0) } : {}) },
      });
    expect(isTerminalDetails(at(ActionPhase.RECOVERED))).toBe(true);
    expect(isTerminalDetails(at(ActionPhase.PAUSED))).toBe(false);
    expect(isTerminalDetails(at(42))).toBe(false);
    expect(isTerminalDetails(at(42, true))).toBe(true);
    expect(isTerminalDetails(at(ActionPhase.RUNNING, true))).toBe(false);
  });
});

describe("parseScenario", () => {
  test("an outcome preceded by faults", () => {
    expect(parseScenario("stream-drop+half-open+oom")).toEqual({
      name: "stream-drop+half-open+oom",
      outcome: "oom",
      faults: ["stream-drop", "half-open"],
      data: [],
    });
    expect(parseScenario("oom+stream-drop")).toHaveProperty("error");
    expect(parseScenario("")).toHaveProperty("error");
  });

  test("data variants mix with faults, each kept once", () => {
    expect(parseScenario("late-logs+stream-drop+late-logs+offloaded-outputs+succeed")).toEqual({
      name: "late-logs+stream-drop+late-logs+offloaded-outputs+succeed",
      outcome: "succeed",
      faults: ["stream-drop"],
      data: ["late-logs", "offloaded-outputs"],
    });
    expect(parseScenario("late-log+succeed")).toMatchObject({
      error: expect.stringContaining(
        "data variants are offloaded-outputs, unconvertible-output, late-logs",
      ),
    });
  });
});
