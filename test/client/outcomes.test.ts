import { describe, expect, it } from "vitest";
import { isFlyteError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { outcomeCatalogue } from "../../src/testing/index.js";
import { runName, settle, TRANSPORTS, withClient } from "./helpers.js";

const terminal = outcomeCatalogue.filter((o) => o.terminal);

const CASES = [
  ...TRANSPORTS.map((transport) => ({
    label: transport.label,
    transport,
    strategy: "stream" as const,
  })),
  { label: "grpc h2, multiplexed", transport: TRANSPORTS[0], strategy: "multiplex" as const },
  { label: "connect h1, multiplexed", transport: TRANSPORTS[3], strategy: "multiplex" as const },
];

describe.each(CASES)("every outcome over $label", ({ transport, strategy }) => {
  it("wait() resolves or rejects exactly as the scenario promises", async () => {
    await withClient(
      transport,
      async (client) => {
        const results = await Promise.all(
          terminal.map(async (outcome) => {
            const run = await client.createRun({
              task: { name: outcome.name },
              name: runName(outcome.name),
            });
            const phases: number[] = [];
            const settled = await settle(run.wait({ onPhase: (u) => void phases.push(u.phase) }));
            return { outcome, settled, phases };
          }),
        );
        for (const { outcome, settled, phases } of results) {
          expect(phases.at(-1), outcome.name).toBe(outcome.finalPhase);
          if (outcome.success) {
            expect(settled.ok, outcome.name).toBe(true);
            if (settled.ok) {
              expect(settled.value.phase).toBe(outcome.finalPhase);
              expect(settled.value.attempts).toBe(outcome.attempts);
              expect(settled.value.endedAt).toBeInstanceOf(Date);
            }
            continue;
          }
          expect(settled.ok, outcome.name).toBe(false);
          if (settled.ok) continue;
          const error = settled.error;
          expect(isFlyteError(error), `${outcome.name}: ${String(error)}`).toBe(true);
          if (!isFlyteError(error)) continue;
          expect(error.name, outcome.name).toBe(outcome.errorClass);
          expect(error.kind, outcome.name).toBe(outcome.errorKind);
          if (outcome.code !== undefined) expect(error.code, outcome.name).toBe(outcome.code);
          if (outcome.finalPhase !== ActionPhase.ABORTED) {
            expect(error.attempts, outcome.name).toBe(outcome.attempts);
          }
        }
      },
      {
        client: {
          watch: {
            strategy,
            backoff: { baseMs: 20, maxMs: 200 },
            idleTimeoutMs: 1_000,
            pollIntervalMs: 50,
          },
        },
      },
    );
  });
});

describe("phases are delivered in order, once", () => {
  it("onPhase sees the scenario's phase sequence for a retried OOM", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = await client.createRun({ task: { name: "oom" }, name: runName("oom-seq") });
      const seen: { phase: number; attempt: number }[] = [];
      await settle(
        run.wait({ onPhase: (u) => void seen.push({ phase: u.phase, attempt: u.attempt }) }),
      );
      const keys = seen.map((u) => `${u.phase}/${u.attempt}`);
      expect(new Set(keys).size).toBe(keys.length);
      const phases = seen.map((u) => u.phase);
      const collapsed = phases.filter((p, i) => p !== phases[i - 1]);
      const expected = outcomeCatalogue.find((o) => o.name === "oom")?.phases ?? [];
      // The wait may subscribe after QUEUED has passed; from then on the sequence is exact.
      expect(collapsed.length).toBeGreaterThanOrEqual(expected.length - 1);
      expect(collapsed).toEqual(expected.slice(expected.length - collapsed.length));
    });
  });
});

describe("the stack of a remote failure", () => {
  // Named so its frame can be found in the stack: the caller of wait() the user would look for.
  async function waitForTheRun(run: { wait(): Promise<unknown> }): Promise<unknown> {
    return await run.wait();
  }

  it.each([
    ["stream", TRANSPORTS[0]],
    ["multiplex", TRANSPORTS[0]],
  ] as const)(
    "is the message, then the frames of the code that awaited wait() (%s)",
    async (strategy, transport) => {
      await withClient(
        transport,
        async (client) => {
          const run = await client.createRun({ task: { name: "oom" }, name: runName("stack") });
          const settled = await settle(waitForTheRun(run));
          expect(settled.ok).toBe(false);
          if (settled.ok || !isFlyteError(settled.error)) throw new Error("expected a Flyte error");
          const stack = settled.error.stack ?? "";
          expect(stack.startsWith(`${settled.error.message}\n`)).toBe(true);
          const frames = stack.slice(settled.error.message.length);
          expect(frames).toContain("waitForTheRun");
          expect(frames).toContain("outcomes.test.ts");
          // The decoder's own frames say nothing about an OOM on the cluster.
          expect(frames).not.toContain("decodeActionDetails");
        },
        { client: { watch: { strategy } } },
      );
    },
  );
});
