/**
 * Benchmark 4: how long a watch takes to come back after its stream is cut, with the
 * backoff at its minimum (1 ms, no jitter), so what is left is the client's own overhead.
 *
 * - Stream reset: the server resets the watch stream (HTTP/2 RST_STREAM, the connection
 *   stays up) right after its first message, three times (the `stream-drop` fault). The
 *   server timestamps the first message of each new stream, so each interval is: reset →
 *   client sees the error → backoff → new stream → server sends the current state.
 * - Connection reset: a TCP proxy between client and server resets the connection (RST)
 *   while the run is held; the run's terminal state is written at the same moment, so it
 *   can only arrive over a new connection. Measured to `wait()` settling.
 *
 * Everything runs in this process, so the timestamps share one clock.
 */

import { createClient } from "../src/index.node.js";
import { startTestServer } from "../src/testing/index.js";
import { startChaosProxy } from "../test/faults/chaos-proxy.js";
import type { BenchContext, BenchResult } from "./report.js";
import { median, percentile, round } from "./stats.js";

const BACKOFF = { baseMs: 1, maxMs: 1, jitter: false } as const;

export async function reconnect(ctx: BenchContext): Promise<BenchResult> {
  const runs = ctx.quick ? 30 : 200;
  const streamGaps = await streamResets(runs, ctx);
  const connectionGaps = await connectionResets(runs, ctx);
  const row = (label: string, values: number[], backoff: number) => [
    label,
    values.length,
    round(median(values), 2),
    round(percentile(values, 99), 2),
    round(median(values) - backoff, 2),
  ];
  return {
    name: "reconnect",
    title: "4. Reconnect: stream cut → resumed watch delivers",
    figures: {
      backoffMs: BACKOFF.baseMs,
      streamResetSamples: streamGaps.total.length,
      streamResetP50Ms: round(median(streamGaps.total), 3),
      streamResetP99Ms: round(percentile(streamGaps.total, 99), 3),
      streamResetOverheadP50Ms: round(median(streamGaps.total) - BACKOFF.baseMs, 3),
      streamResetDetectP50Ms: round(median(streamGaps.detect), 3),
      streamResetResumeP50Ms: round(median(streamGaps.resume), 3),
      connectionResetSamples: connectionGaps.length,
      connectionResetP50Ms: round(median(connectionGaps), 3),
      connectionResetP99Ms: round(percentile(connectionGaps, 99), 3),
      connectionResetOverheadP50Ms: round(median(connectionGaps) - BACKOFF.baseMs, 3),
    },
    targets: [],
    tables: [
      {
        title: `backoff ${BACKOFF.baseMs} ms without jitter; grpc over h2c on loopback${ctx.quick ? "; QUICK: fewer runs" : ""}`,
        header: ["cut", "samples", "p50 ms", "p99 ms", "overhead p50 ms"],
        rows: [
          row("stream reset (RST_STREAM) → next stream's first message", streamGaps.total, 1),
          row("  of which: reset → loop has the error", streamGaps.detect, 0),
          row("  of which: error → backoff → next first message", streamGaps.resume, 1),
          row("connection reset (TCP RST) → wait() settled", connectionGaps, 1),
        ],
      },
    ],
    notes: [
      "overhead = measured time minus the configured backoff (1 ms; the detection step has none)",
      "a stream reset is timed on the server: from the first message of a stream (the reset follows at once) to the first message of the next; the loop's error is timed by onPollingError",
      "a connection reset also costs a new TCP connection and HTTP/2 handshake; a stream reset reuses the connection",
    ],
  };
}

/** What the stream-reset measurement splits each reconnect into. */
interface StreamGaps {
  /** First message of a stream (the reset follows it) → the next stream's first message. */
  total: number[];
  /** → the client's loop has the error (onPollingError). */
  detect: number[];
  /** The error → the next stream's first message: backoff, new stream, server reply. */
  resume: number[];
}

/** Gaps between the first messages of consecutive watch streams of `stream-drop` runs. */
async function streamResets(runs: number, ctx: BenchContext): Promise<StreamGaps> {
  ctx.log(`reconnect: ${runs} stream-drop runs (3 resets each)`);
  let events: { kind: "first" | "error"; at: number }[] = [];
  const server = await startTestServer({
    speed: 100_000,
    mutateWatchMessage: (_bytes, info) => {
      if (info.method === "WatchActionDetails" && info.index === 0) {
        events.push({ kind: "first", at: performance.now() });
      }
      return undefined;
    },
  });
  const client = createClient({
    endpoint: server.url,
    project: "flytesnacks",
    domain: "development",
    watch: { backoff: BACKOFF },
    onPollingError: () => events.push({ kind: "error", at: performance.now() }),
  });
  const gaps: StreamGaps = { total: [], detect: [], resume: [] };
  try {
    for (let i = 0; i < runs; i++) {
      const name = `rs-${i}`;
      server.runs.create({ name, scenario: "stream-drop+succeed" });
      events = [];
      await client.getRun(name).wait();
      // Expected: first, error, first, error, first, error, first (three resets).
      const pattern = events.map((e) => e.kind[0]).join("");
      if (pattern !== "fefefef") {
        throw new Error(`${name}: unexpected stream/error sequence ${pattern}`);
      }
      for (let k = 0; k + 2 < events.length; k += 2) {
        const [first, error, next] = [events[k]!, events[k + 1]!, events[k + 2]!];
        gaps.total.push(next.at - first.at);
        gaps.detect.push(error.at - first.at);
        gaps.resume.push(next.at - error.at);
      }
    }
  } finally {
    await client.close();
    await server.close();
  }
  return gaps;
}

/** From a TCP reset of the client's connection to wait() settling on a new one. */
async function connectionResets(runs: number, ctx: BenchContext): Promise<number[]> {
  ctx.log(`reconnect: ${runs} connection resets through the proxy`);
  const server = await startTestServer({ speed: 100_000 });
  const proxy = await startChaosProxy({ port: server.port });
  const client = createClient({
    endpoint: proxy.url,
    project: "flytesnacks",
    domain: "development",
    watch: { backoff: BACKOFF },
  });
  const gaps: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const name = `rc-${i}`;
      server.runs.create({ name, scenario: "succeed", hold: true });
      await server.runs.whenHeld([name]);
      let ready: () => void = () => {};
      const subscribed = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const settled = client.getRun(name).wait({ onPhase: () => ready() });
      await subscribed;
      const cutAt = performance.now();
      proxy.resetAll();
      server.runs.release([name]);
      await settled;
      gaps.push(performance.now() - cutAt);
    }
  } finally {
    await client.close();
    await proxy.close();
    await server.close();
  }
  return gaps;
}
