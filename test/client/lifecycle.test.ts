import { describe, expect, it } from "vitest";
import { InitializationError, isFlyteError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer } from "../../src/testing/index.js";
import { runName, settle, TRANSPORTS, withClient } from "./helpers.js";

/** The kinds of handle a leak of ours would leave: sockets, servers and timers. */
const LEAKABLE = ["TCPSocketWrap", "TCPServerWrap", "Timeout", "Http2Session"] as const;

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(LEAKABLE.map((k) => [k, 0]));
  for (const r of process.getActiveResourcesInfo())
    if (r in counts) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** True when no kind has more handles now than `before`; the runner's own may have gone. */
function noMoreThan(before: Record<string, number>): boolean {
  const now = handleCounts();
  return LEAKABLE.every((k) => (now[k] ?? 0) <= (before[k] ?? 0));
}

describe.each(["stream", "multiplex"] as const)("abort and timeout (%s)", (strategy) => {
  const options = { client: { watch: { strategy } } };
  it.each(TRANSPORTS)(
    "a caller abort rejects with the signal's reason over $label",
    async (transport) => {
      await withClient(
        transport,
        async (client) => {
          const run = await client.createRun({ task: { name: "paused" }, name: runName("abort") });
          const controller = new AbortController();
          const waiting = settle(run.wait({ signal: controller.signal }));
          setTimeout(() => controller.abort(), 50);
          const settled = await waiting;
          expect(settled.ok).toBe(false);
          if (!settled.ok) {
            expect(settled.error).toBeInstanceOf(DOMException);
            expect((settled.error as DOMException).name).toBe("AbortError");
            expect(isFlyteError(settled.error)).toBe(false);
          }
        },
        options,
      );
    },
  );

  it("timeoutMs rejects with a TimeoutError and leaves the run alone", async () => {
    await withClient(
      TRANSPORTS[0],
      async (client, server) => {
        const name = runName("timeout");
        const run = await client.createRun({ task: { name: "paused" }, name });
        const settled = await settle(run.wait({ timeoutMs: 100 }));
        expect(!settled.ok && (settled.error as DOMException).name).toBe("TimeoutError");
        expect(server.runs.get(name)?.status?.endTime).toBeUndefined();
      },
      options,
    );
  });

  it("a signal aborted before the call rejects at once", async () => {
    await withClient(
      TRANSPORTS[0],
      async (client) => {
        const run = client.getRun("never-created");
        const reason = new Error("stop");
        const settled = await settle(run.wait({ signal: AbortSignal.abort(reason) }));
        expect(!settled.ok && settled.error).toBe(reason);
      },
      options,
    );
  });

  it.each(TRANSPORTS)("leaves no handle behind over $label", async (transport) => {
    const before = handleCounts();
    await withClient(
      transport,
      async (client) => {
        const done = await client.createRun({ task: { name: "succeed" }, name: runName("h-ok") });
        await done.wait();
        const failed = await client.createRun({ task: { name: "oom" }, name: runName("h-oom") });
        await settle(failed.wait());
        const paused = await client.createRun({
          task: { name: "paused" },
          name: runName("h-abort"),
        });
        await settle(paused.wait({ timeoutMs: 60 }));
        const controller = new AbortController();
        const aborted = settle(paused.wait({ signal: controller.signal }));
        setTimeout(() => controller.abort(), 30);
        await aborted;
        // A watch left early, by a break, lets go of its stream or its place on the shared one.
        for await (const update of paused.watch()) {
          expect(update.phase).toBeGreaterThan(0);
          break;
        }
      },
      options,
    );
    // Sockets close asynchronously after destroy(); give them a turn of the loop.
    for (let i = 0; i < 50 && !noMoreThan(before); i++) {
      await new Promise((r) => setImmediate(r));
    }
    const after = handleCounts();
    for (const kind of LEAKABLE) expect(after[kind], kind).toBeLessThanOrEqual(before[kind] ?? 0);
  });
});

describe("run handles", () => {
  it("getRun makes no RPC until used, and abort moves a paused run to ABORTED", async () => {
    await withClient(TRANSPORTS[0], async (client, server) => {
      const name = runName("paused");
      server.runs.create({ name, scenario: "paused" });
      const before = server.stats().totalStreams;
      const run = client.getRun(name);
      expect(server.stats().totalStreams).toBe(before);
      const waiting = settle(run.wait());
      await new Promise((r) => setTimeout(r, 50));
      await run.abort("test says stop");
      const settled = await waiting;
      expect(!settled.ok && isFlyteError(settled.error) && settled.error.name).toBe(
        "RunAbortedError",
      );
    });
  });

  it("abort of an unknown run is not an error; details of one is ActionNotFoundError", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = client.getRun("no-such-run");
      await expect(run.abort()).resolves.toBeUndefined();
      const settled = await settle(run.details());
      expect(!settled.ok && isFlyteError(settled.error) && settled.error.name).toBe(
        "ActionNotFoundError",
      );
    });
  });

  it("details, phase, actions, listRuns and watch agree with the server", async () => {
    await withClient(TRANSPORTS[1], async (client) => {
      const name = runName("reads");
      const run = await client.createRun({
        task: { name: "succeed" },
        name,
        inputs: { n: 3, s: "x" },
      });
      const updates = [];
      for await (const update of run.watch()) updates.push(update.phaseName);
      expect(updates.at(-1)).toBe("SUCCEEDED");
      expect(await run.phase()).toBe(5);
      expect((await run.details()).id?.run?.name).toBe(name);
      const actions = await run.actions();
      expect(actions[0]?.name).toBe("a0");
      const { runs } = await client.listRuns();
      expect(runs.map((r) => r.id.name)).toContain(name);
    });
  });

  it("createRun maps a duplicate name to RunAlreadyExistsError and no task to a user error", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const name = runName("dup");
      await client.createRun({ task: { name: "succeed" }, name });
      const dup = await settle(client.createRun({ task: { name: "succeed" }, name }));
      expect(!dup.ok && isFlyteError(dup.error) && dup.error.code).toBe("RunAlreadyExistsError");
      const missing = await settle(client.createRun({ task: { name: "" }, name: runName("none") }));
      expect(!missing.ok && isFlyteError(missing.error) && missing.error.kind).toBe("user");
    });
  });
});

describe("createClient", () => {
  it("without an endpoint throws InitializationError saying what to set", () => {
    expect(() => createClient({})).toThrowError(InitializationError);
    expect(() => createClient({})).toThrowError(/endpoint/);
  });

  it("refuses gRPC over HTTP/1.1", () => {
    expect(() => createClient({ endpoint: "http://127.0.0.1:1", httpVersion: "1.1" })).toThrowError(
      /HTTP\/2/,
    );
  });

  it("retries a refreshed token once on UNAUTHENTICATED, and never shows the token", async () => {
    const server = await startTestServer({ speed: 400, token: "good-token-123" });
    const handed: string[] = [];
    const tokens = ["stale-token-456", "good-token-123"];
    const client = createClient({
      endpoint: server.url,
      project: "flytesnacks",
      domain: "development",
      token: async () => {
        const next = tokens.shift() ?? "good-token-123";
        handed.push(next);
        return next;
      },
    });
    try {
      const run = await client.createRun({ task: { name: "succeed" }, name: runName("token") });
      await expect(run.wait()).resolves.toMatchObject({ phaseName: "SUCCEEDED" });
      expect(handed.slice(0, 2)).toEqual(["stale-token-456", "good-token-123"]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("a bad static token surfaces as AuthenticationError without the token in it", async () => {
    const server = await startTestServer({ speed: 400, token: "right-token" });
    const client = createClient({
      endpoint: server.url,
      project: "p",
      domain: "d",
      token: "wrong-token-789",
    });
    try {
      const settled = await settle(
        client.createRun({ task: { name: "succeed" }, name: runName("bad") }),
      );
      expect(settled.ok).toBe(false);
      if (!settled.ok && isFlyteError(settled.error)) {
        const text = `${settled.error.message} ${JSON.stringify(settled.error.toJSON())} ${JSON.stringify(settled.error.toProblemDetails())}`;
        expect(text).not.toContain("wrong-token-789");
        expect(settled.error.kind).toBe("user");
      }
    } finally {
      await client.close();
      await server.close();
    }
  });
});
