import { describe, expect, it } from "vitest";
import { isFlyteError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { runName, settle, TRANSPORTS, withClient } from "./helpers.js";

const FAULTS = [
  "stream-drop",
  "clean-eos",
  "half-open",
  "idle-cut",
  "unavailable",
  "slow-down",
] as const;
const OUTCOMES = ["succeed", "oom"] as const;

describe.each(TRANSPORTS)("faults over $label", (transport) => {
  for (const fault of FAULTS) {
    if (fault === "half-open" && transport.httpVersion === "1.1") continue;
    it(`${fault} with succeed and oom ends with the right outcome and no early return`, async () => {
      const polled: string[] = [];
      await withClient(
        transport,
        async (client) => {
          for (const outcome of OUTCOMES) {
            const run = await client.createRun({
              task: { name: `${fault}+${outcome}` },
              name: runName(`${fault}-${outcome}`),
            });
            const phases: number[] = [];
            const settled = await settle(run.wait({ onPhase: (u) => void phases.push(u.phase) }));
            const keys = phases.map((p, i) => `${p}/${i}`);
            expect(new Set(keys).size).toBe(keys.length);
            if (outcome === "succeed") {
              expect(settled.ok, String(!settled.ok && settled.error)).toBe(true);
              expect(phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
            } else {
              expect(settled.ok).toBe(false);
              if (!settled.ok) {
                expect(
                  isFlyteError(settled.error) && settled.error.name,
                  String(settled.error),
                ).toBe("OOMError");
              }
              expect(phases.at(-1)).toBe(ActionPhase.FAILED);
            }
          }
        },
        {
          server: { idleCutMs: 150 },
          client: { onPollingError: (error) => void polled.push(String(error)) },
        },
      );
      if (fault === "stream-drop" || fault === "unavailable" || fault === "half-open") {
        expect(polled.length, "the fault was seen and silenced").toBeGreaterThan(0);
      }
    });
  }
});
