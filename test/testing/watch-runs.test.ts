import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { makeClient, protocolCases, type TestClient } from "./helpers.js";

const RUNS = 60;

describe.each(protocolCases)("WatchRuns over $name", (protocol) => {
  let server: TestServer;
  let tc: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1_000 });
    tc = makeClient(protocol, server.url);
  });
  afterAll(async () => {
    tc.close();
    await server.close();
  });

  test("a burst of endings arrives in a few messages, each run's end exactly once", async () => {
    const prefix = `burst-${protocol.tag}`;
    const names = Array.from({ length: RUNS }, (_, i) => `${prefix}-${i}`);
    for (const [i, name] of names.entries()) {
      server.runs.create({ name, scenario: i % 2 === 0 ? "succeed" : "oom", hold: true });
    }
    await server.runs.whenHeld(names);

    const stream = tc.client
      .watchRuns({
        target: {
          case: "projectId",
          value: { organization: "", name: "flytesnacks", domain: "development" },
        },
      })
      [Symbol.asyncIterator]();
    const snapshot = await stream.next();
    if (snapshot.done === true) throw new Error("WatchRuns ended before its snapshot");
    const inSnapshot = new Set(snapshot.value.runs.map((r) => r.action?.id?.run?.name));
    for (const name of names) expect(inSnapshot.has(name)).toBe(true);

    server.runs.release(names);
    const ends = new Map<string, number>();
    let messages = 0;
    while (ends.size < RUNS) {
      const next = await stream.next();
      if (next.done === true) throw new Error("WatchRuns ended early");
      messages++;
      for (const run of next.value.runs) {
        const name = run.action?.id?.run?.name ?? "";
        const phase = run.action?.status?.phase;
        if (!name.startsWith(prefix)) continue;
        if (phase !== ActionPhase.SUCCEEDED && phase !== ActionPhase.FAILED) continue;
        expect(ends.has(name), `${name} ended twice`).toBe(false);
        ends.set(name, phase);
      }
    }
    await stream.return?.();

    for (const [i, name] of names.entries()) {
      expect(ends.get(name)).toBe(i % 2 === 0 ? ActionPhase.SUCCEEDED : ActionPhase.FAILED);
    }
    // All endings were written in one call, so they were queued together: far fewer
    // messages than runs (one per run before batching).
    expect(messages).toBeLessThan(RUNS / 4);
  });
});
