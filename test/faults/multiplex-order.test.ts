/**
 * Regression test for a bug the restart suite found: with `strategy: "multiplex"`, an
 * update that the shared WatchRuns stream queued while a GetActionDetails read was in
 * flight was delivered after the read's newer state, so onPhase saw a phase go backwards
 * (RUNNING, then INITIALIZING). Reads are slow whenever many waits start at once (they
 * queue behind the server's stream limit), so at scale it was the common case; here an
 * interceptor delays each read so the run moves on meanwhile, which made it fail every time.
 */

import { describe, expect, it } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer } from "../../src/testing/index.js";

const ORDER: readonly number[] = [
  ActionPhase.QUEUED,
  ActionPhase.INITIALIZING,
  ActionPhase.RUNNING,
  ActionPhase.SUCCEEDED,
];

describe("multiplexed waits", () => {
  it("deliver phases in order when a GetActionDetails read is slower than the run", async () => {
    const server = await startTestServer({ speed: 10 });
    const client = createClient({
      endpoint: server.url,
      project: "flytesnacks",
      domain: "development",
      watch: { strategy: "multiplex" },
      interceptors: [
        (next) => async (request) => {
          if (request.method.name === "GetActionDetails") {
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          return next(request);
        },
      ],
    });
    try {
      server.runs.create({ name: "mux-order", scenario: "succeed" });
      const phases: number[] = [];
      await client.getRun("mux-order").wait({ onPhase: (u) => void phases.push(u.phase) });
      const ranks = phases.map((p) => ORDER.indexOf(p));
      expect(
        ranks.every((rank, i) => i === 0 || rank > (ranks[i - 1] ?? -1)),
        `phases delivered: ${phases.map((p) => ActionPhase[p]).join(" → ")}`,
      ).toBe(true);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
