/**
 * The test server in a process of its own, for the concurrent-waits benchmark: with two
 * cores, the server's CPU then does not count as the client's, and each side's figures are
 * its own. The parent drives it over the IPC channel; see {@link ServerCommand}.
 */

import { startTestServer, type TestServer } from "../src/testing/index.js";
import { profilePhase } from "./profile.js";

/** What the parent asks. Every command gets exactly one reply. */
export type ServerCommand =
  | { readonly type: "start"; readonly maxConcurrentStreams: number; readonly speed: number }
  | {
      readonly type: "create";
      readonly prefix: string;
      readonly count: number;
      /** Scenario of run `i` is `scenarios[i % scenarios.length]`. */
      readonly scenarios: readonly string[];
    }
  | { readonly type: "release" }
  | { readonly type: "stats" }
  /** Starts or stops a CPU profile of the server (written only under `BENCH_PROFILE`). */
  | { readonly type: "profile"; readonly name: string | undefined }
  | { readonly type: "close" };

/** What the child answers. Times are epoch milliseconds with sub-millisecond precision. */
export type ServerReply =
  | { readonly type: "started"; readonly url: string }
  | { readonly type: "created"; readonly names: readonly string[]; readonly ms: number }
  | {
      readonly type: "released";
      /** When the first and the last terminal state were written. */
      readonly firstTerminal: number;
      readonly lastTerminal: number;
      readonly terminals: number;
    }
  | {
      readonly type: "stats";
      readonly connections: number;
      readonly peakConnections: number;
      readonly activeStreams: number;
      readonly peakActiveStreams: number;
      readonly totalStreams: number;
      /** CPU the child used since it started, in ms. */
      readonly cpuMs: number;
      readonly rssBytes: number;
    }
  | { readonly type: "profiling" }
  | { readonly type: "closed" }
  | { readonly type: "error"; readonly message: string };

/** Epoch milliseconds from this process's monotonic clock. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Runs released per turn of the event loop. */
const RELEASE_SLICE = 250;

let server: TestServer | undefined;
/** The runs created since the last release, to release in slices. */
const created: string[] = [];
let stopProfile: (() => Promise<void>) | undefined;

async function handle(command: ServerCommand): Promise<ServerReply> {
  switch (command.type) {
    case "start": {
      server = await startTestServer({
        maxConcurrentStreams: command.maxConcurrentStreams,
        speed: command.speed,
      });
      return { type: "started", url: server.url };
    }
    case "create": {
      const s = mustServer();
      const started = performance.now();
      const names = Array.from({ length: command.count }, (_, i) => `${command.prefix}-${i}`);
      names.forEach((name, i) => {
        const scenario = command.scenarios[i % command.scenarios.length] ?? "succeed";
        s.runs.create({ name, scenario, hold: true });
      });
      await s.runs.whenHeld(names);
      created.push(...names);
      return { type: "created", names, ms: performance.now() - started };
    }
    case "release": {
      const s = mustServer();
      let first = Number.POSITIVE_INFINITY;
      let last = 0;
      let terminals = 0;
      const off = s.runs.on("terminal", (e) => {
        const at = performance.timeOrigin + e.at;
        first = Math.min(first, at);
        last = Math.max(last, at);
        terminals++;
      });
      // In slices, yielding between them, as a real backend's runs end over some time: the
      // server writes the first endings while it releases the rest, and neither process
      // waits for a single 10,000-run step to finish before the other can start.
      const names = created.splice(0);
      for (let at = 0; at < names.length; at += RELEASE_SLICE) {
        s.runs.release(names.slice(at, at + RELEASE_SLICE));
        await new Promise((resolve) => setImmediate(resolve));
      }
      off();
      return { type: "released", firstTerminal: first, lastTerminal: last, terminals };
    }
    case "stats": {
      const stats = mustServer().stats();
      const cpu = process.cpuUsage();
      return {
        type: "stats",
        ...stats,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBytes: process.memoryUsage().rss,
      };
    }
    case "profile": {
      await stopProfile?.();
      stopProfile = command.name === undefined ? undefined : await profilePhase(command.name);
      return { type: "profiling" };
    }
    case "close": {
      await server?.close();
      server = undefined;
      return { type: "closed" };
    }
  }
}

function mustServer(): TestServer {
  if (server === undefined) throw new Error("server not started");
  return server;
}

process.on("message", (command: ServerCommand) => {
  handle(command).then(
    (reply) => {
      process.send?.(reply);
      if (reply.type === "closed") process.disconnect();
    },
    (error: unknown) => process.send?.({ type: "error", message: String(error) }),
  );
});
