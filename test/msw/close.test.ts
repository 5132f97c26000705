import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { setupServer } from "msw/node";
import { expect, test } from "vitest";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { flyteHandlers } from "../../src/msw/index.js";
import { runIdOf } from "./helpers.js";

/** Timers alive now; sockets do not apply, msw opens none. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

// Alone in its file, so the baseline holds no other test's timers.
test("close() ends every call in flight and leaves no timer behind", async () => {
  const before = timers();
  const flyte = flyteHandlers({ baseUrl: "http://close.flyte.test", speed: 1 });
  const server = setupServer(...flyte);
  server.listen({ onUnhandledRequest: "error" });
  const client = createClient(
    RunService,
    createConnectTransport({ baseUrl: flyte.baseUrl, useBinaryFormat: true }),
  );
  // At human pace every run has a timer pending; one watch is silenced, one waits on a held run.
  flyte.runs.create({ name: "slow", scenario: "oom" });
  flyte.runs.create({ name: "held", scenario: "succeed", hold: true });
  flyte.runs.create({ name: "silent", scenario: "half-open+succeed" });
  const watch = (name: string) => {
    let first: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      first = resolve;
    });
    const ended = (async () => {
      try {
        for await (const _ of client.watchActionDetails({
          actionId: { run: runIdOf(name), name: "a0" },
        })) {
          first();
        }
        return "ended cleanly";
      } catch (e) {
        return ConnectError.from(e).rawMessage;
      }
    })();
    return { started, ended };
  };
  const watches = [watch("held"), watch("silent"), watch("slow")];
  await Promise.all(watches.map((w) => w.started));
  expect(timers()).toBeGreaterThan(before);

  flyte.close();
  server.close();
  expect(await Promise.all(watches.map((w) => w.ended))).toEqual([
    "terminated",
    "terminated",
    "terminated",
  ]);
  expect(timers()).toBe(before);
});
