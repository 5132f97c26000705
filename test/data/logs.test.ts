import { describe, expect, it } from "vitest";
import { ActionNotFoundError, LogsNotYetAvailableError } from "../../src/errors/index.js";
import type { LogLine } from "../../src/logs/index.js";
import { lateLogMisses } from "../../src/testing/index.js";
import { runName, settle, TRANSPORTS, withClient } from "../client/helpers.js";

const fast = { retryDelayMs: 10, settleMs: 200 };

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

const succeededLog = (task: string) => [
  ["system", `[flyte] Running task ${task}, attempt 1`],
  ["user", "Loading inputs"],
  ["user", "Working…"],
  ["user", "Done"],
  ["system", "[flyte] Task succeeded, outputs written"],
];

describe("run.logs()", () => {
  it.each([TRANSPORTS[0], TRANSPORTS[3]])(
    "reads the log of a finished run over $label",
    async (transport) => {
      await withClient(transport, async (client) => {
        const run = await client.createRun({ task: { name: "succeed" }, name: runName("log") });
        await run.wait();
        const lines = await collect(run.logs(fast));
        expect(lines.map((l) => [l.originator, l.message])).toEqual(succeededLog("succeed"));
        for (const line of lines) {
          expect(line.attempt).toBe(1);
          expect(line.timestamp).toBeInstanceOf(Date);
        }
      });
    },
  );

  it("follows a running run and ends by itself when the run is terminal", async () => {
    await withClient(TRANSPORTS[0], async (client, server) => {
      const name = runName("follow");
      server.runs.create({ name, scenario: "succeed", hold: true });
      await server.runs.whenHeld([name]);
      const seen: LogLine[] = [];
      const following = (async () => {
        for await (const line of client.getRun(name).logs({ follow: true, ...fast })) {
          seen.push(line);
          if (seen.length === 3) server.runs.release([name]);
        }
      })();
      await following;
      expect(seen.map((l) => [l.originator, l.message])).toEqual(succeededLog("succeed"));
      expect(server.stats().activeStreams).toBeLessThanOrEqual(1);
    });
  });

  it("without follow, a running run's log stops once it is quiet", async () => {
    await withClient(TRANSPORTS[0], async (client, server) => {
      const name = runName("quiet");
      server.runs.create({ name, scenario: "succeed", hold: true });
      await server.runs.whenHeld([name]);
      const started = performance.now();
      const lines = await collect(client.getRun(name).logs(fast));
      expect(lines.map((l) => l.message)).toEqual([
        "[flyte] Running task succeed, attempt 1",
        "Loading inputs",
        "Working…",
      ]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      server.runs.release([name]);
    });
  });

  it("follows every attempt of a retried run, in order", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = await client.createRun({ task: { name: "oom" }, name: runName("retry") });
      const lines = await collect(run.logs({ follow: true, ...fast }));
      const attempts = [...new Set(lines.map((l) => l.attempt))];
      expect(attempts).toEqual([1, 2, 3]);
      for (const n of attempts) {
        const mine = lines.filter((l) => l.attempt === n).map((l) => l.message);
        expect(mine[0]).toBe(`[flyte] Running task oom, attempt ${n}`);
        expect(mine.at(-1)).toBe(`[flyte] Attempt ${n} failed`);
        expect(mine.some((m) => m.includes("Reason [OOMKilled]"))).toBe(true);
      }
      // Sorted as written: nothing repeated after a reconnect.
      const keys = lines.map((l) => `${l.attempt}:${l.message}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  it("one attempt, when asked for", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = await client.createRun({ task: { name: "oom" }, name: runName("one") });
      await settle(run.wait());
      const lines = await collect(run.logs({ attempt: 2, ...fast }));
      expect(new Set(lines.map((l) => l.attempt))).toEqual(new Set([2]));
      expect(lines[0]?.message).toBe("[flyte] Running task oom, attempt 2");
    });
  });

  it("logs that appear late are waited for", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = await client.createRun({
        task: { name: "late-logs+succeed" },
        name: runName("late"),
      });
      await run.wait();
      const lines = await collect(run.logs({ retries: lateLogMisses + 1, ...fast }));
      expect(lines.map((l) => l.message)).toEqual(
        succeededLog("late-logs+succeed").map((l) => l[1]),
      );
    });
  });

  it("logs that do not exist yet give LogsNotYetAvailableError after the retries", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const name = runName("late2");
      const run = await client.createRun({ task: { name: "late-logs+succeed" }, name });
      await run.wait();
      const read = await settle(collect(run.logs({ retries: lateLogMisses, ...fast })));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.error).toBeInstanceOf(LogsNotYetAvailableError);
      const error = read.error as LogsNotYetAvailableError;
      expect(error.kind).toBe("system");
      expect(error.code).toBe("LogsNotYetAvailable");
      expect(error.retryable).toBe(true);
      expect(error.rawMessage).toBe(
        `Log stream not available for action a0 in run ${name} (attempt 1, asked ${lateLogMisses} time(s)).`,
      );
      expect((error.cause as Error).name).toBe("ActionNotFoundError");
    });
  });

  it("a run whose pod never ran has no log, even when followed to its end", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const name = runName("noimg");
      const run = await client.createRun({ task: { name: "invalid-image" }, name });
      const read = await settle(collect(run.logs({ follow: true, retries: 2, ...fast })));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.error).toBeInstanceOf(LogsNotYetAvailableError);
      expect((read.error as LogsNotYetAvailableError).kind).toBe("system");
      expect((read.error as LogsNotYetAvailableError).rawMessage).toMatch(
        new RegExp(
          `^Log stream not available for action a0 in run ${name} \\(attempt 1, asked \\d+ time\\(s\\)\\)\\.$`,
        ),
      );
    });
  });

  it("a run that does not exist rejects with ActionNotFoundError at once", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const read = await settle(collect(client.getRun("missing-run").logs(fast)));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.error).toBeInstanceOf(ActionNotFoundError);
      expect((read.error as ActionNotFoundError).kind).toBe("user");
    });
  });

  it("the caller's abort ends a follow with the signal's reason, and frees the stream", async () => {
    await withClient(TRANSPORTS[0], async (client, server) => {
      const name = runName("abort");
      server.runs.create({ name, scenario: "succeed", hold: true });
      await server.runs.whenHeld([name]);
      const controller = new AbortController();
      const reason = new Error("enough");
      const read = settle(
        collect(
          (async function* () {
            for await (const line of client
              .getRun(name)
              .logs({ follow: true, signal: controller.signal, ...fast })) {
              yield line;
              controller.abort(reason);
            }
          })(),
        ),
      );
      const done = await read;
      expect(done.ok).toBe(false);
      if (!done.ok) expect(done.error).toBe(reason);
      await expect.poll(() => server.stats().activeStreams).toBe(0);
      server.runs.release([name]);
    });
  });
});

describe("a server without a data proxy (an older backend)", () => {
  it("outputs come from RunService.GetActionData and logs from RunLogsService.TailLogs", async () => {
    await withClient(
      TRANSPORTS[0],
      async (client) => {
        const run = await client.createRun({
          task: { name: "succeed" },
          name: runName("old"),
          inputs: { n: 1 },
        });
        expect((await run.outputs()).o2).toBe("model-v3");
        expect(await run.inputs()).toEqual({ n: 1 });
        const lines = await collect(run.logs(fast));
        expect(lines.map((l) => l.message)).toEqual(succeededLog("succeed").map((l) => l[1]));
      },
      { server: { dataProxy: false } },
    );
  });
});
