/**
 * Benchmark 3: from the server writing a run's terminal state to `wait()` settling, one
 * run at a time, on loopback. The baseline is a bare connect WatchActionDetails stream on the same HTTP/2 stack
 * on the same server, measured in alternation with the client: the difference is what the
 * client's watch loop, decoding and typed errors add.
 *
 * Server and client share this process, so both timestamps come from one clock.
 */

import { createClient as createRpcClient } from "@connectrpc/connect";
import { decodeActionDetails } from "../src/decode/index.js";
import { ActionPhase } from "../src/gen/flyteidl2/common/phase_pb.js";
import { RunService } from "../src/gen/flyteidl2/workflow/run_service_pb.js";
import { createClient } from "../src/index.node.js";
import { isTerminalDetails, startTestServer } from "../src/testing/index.js";
import { nodeTransport } from "../test/support/transports.js";
import { type BenchContext, type BenchResult, below } from "./report.js";
import { median, percentile, round } from "./stats.js";

type Path = "client wait()" | "bare stream (baseline)";

export async function latency(ctx: BenchContext): Promise<BenchResult> {
  const runs = ctx.quick ? 200 : 1_000;
  const server = await startTestServer({ speed: 100_000 });
  const client = createClient({
    endpoint: server.url,
    project: "flytesnacks",
    domain: "development",
  });
  // The client's own HTTP stack without its watch loop: the comparison is the loop alone.
  const session = nodeTransport(server.url, { protocol: "grpc" });
  const bare = createRpcClient(RunService, session.transport);
  let terminalAt = 0;
  const offTerminal = server.runs.on("terminal", (e) => {
    terminalAt = e.at;
  });
  const samples: Record<Path, Record<"succeed" | "oom", number[]>> = {
    "client wait()": { succeed: [], oom: [] },
    "bare stream (baseline)": { succeed: [], oom: [] },
  };
  ctx.log(`latency: ${runs} sequential runs per path, alternating`);
  try {
    for (let i = 0; i < runs * 2; i++) {
      // Alternate path every run and outcome every other run, so each path sees both.
      const path: Path = i % 2 === 0 ? "client wait()" : "bare stream (baseline)";
      const outcome = Math.floor(i / 2) % 2 === 0 ? "succeed" : "oom";
      const name = `lat-${i}`;
      server.runs.create({ name, scenario: outcome, hold: true });
      await server.runs.whenHeld([name]);
      let ready: () => void = () => {};
      const subscribed = new Promise<void>((resolve) => {
        ready = resolve;
      });
      let settled: Promise<unknown>;
      if (path === "client wait()") {
        settled = client
          .getRun(name)
          .wait({ onPhase: () => ready() })
          .catch((error: unknown) => error);
      } else {
        settled = (async () => {
          const stream = bare.watchActionDetails({
            actionId: { run: { project: "flytesnacks", domain: "development", name }, name: "a0" },
          });
          for await (const response of stream) {
            ready();
            if (response.details !== undefined && isTerminalDetails(response.details)) {
              // The baseline also decodes, so the difference is the loop, not the decoder.
              return decodeActionDetails(response.details);
            }
          }
          throw new Error("stream ended before the terminal phase");
        })();
      }
      await subscribed;
      server.runs.release([name]);
      const result = await settled;
      const settledAt = performance.now();
      if (outcome === "oom" && (result as { name?: string } | undefined)?.name !== "OOMError") {
        throw new Error(`${name}: expected an OOMError, got ${String(result)}`);
      }
      samples[path][outcome].push(settledAt - terminalAt);
    }
  } finally {
    offTerminal();
    await client.close();
    session.close();
    await server.close();
  }

  const all = (path: Path) => [...samples[path].succeed, ...samples[path].oom];
  const row = (path: Path) => {
    const values = all(path);
    return [
      path,
      values.length,
      round(median(values), 3),
      round(percentile(values, 99), 3),
      round(median(samples[path].succeed), 3),
      round(median(samples[path].oom), 3),
    ];
  };
  const p50 = median(all("client wait()"));
  const p99 = percentile(all("client wait()"), 99);
  const baseP50 = median(all("bare stream (baseline)"));
  return {
    name: "latency",
    title: "3. Latency: terminal write → wait() settled",
    figures: {
      runsPerPath: runs,
      clientP50Ms: round(p50, 3),
      clientP99Ms: round(p99, 3),
      baselineP50Ms: round(baseP50, 3),
      baselineP99Ms: round(percentile(all("bare stream (baseline)"), 99), 3),
      clientP50SucceedMs: round(median(samples["client wait()"].succeed), 3),
      clientP50OomMs: round(median(samples["client wait()"].oom), 3),
      clientOverBaselineP50Ms: round(p50 - baseP50, 3),
    },
    targets: [below("client wait() p50", round(p50, 3), 1, " ms")],
    tables: [
      {
        title: `one run at a time, ${runs} runs per path (half succeed, half OOM), grpc over h2c on loopback, server in-process`,
        header: ["path", "runs", "p50 ms", "p99 ms", "p50 succeed", "p50 OOM"],
        rows: [row("client wait()"), row("bare stream (baseline)")],
      },
    ],
    notes: [
      "measured from the store's terminal event (written after the state was handed to the watch streams) to the line after `await`",
      "the baseline is a bare connect stream on the same HTTP/2 stack that also calls decodeActionDetails on the terminal state; the gap is the watch loop, onPhase and RunResult",
      `phase of the held state: ${ActionPhase[ActionPhase.RUNNING]}; each wait subscribes and receives it before the release`,
    ],
  };
}
