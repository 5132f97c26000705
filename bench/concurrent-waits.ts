/**
 * Benchmark 2: thousands of concurrent waits on a server that allows 250 streams per
 * connection, all runs reaching their terminal phase at the same moment (held, then
 * released together), half succeeding and half failing with an OOM.
 *
 * The server runs in a child process (bench/server-child.ts), so on two cores the client's
 * CPU and memory figures are the client's alone; the server's are reported beside them.
 * The two watch strategies run one after the other in the same invocation, each against a
 * fresh server.
 */

import { createClient as createRpcClient } from "@connectrpc/connect";
import { isFlyteError } from "../src/errors/index.js";
import { RunService } from "../src/gen/flyteidl2/workflow/run_service_pb.js";
import { createClient, type FlyteClient } from "../src/index.node.js";
import { nodeTransport } from "../test/support/transports.js";
import { profilePhase } from "./profile.js";
import { atMost, type BenchContext, type BenchResult, type TargetCheck } from "./report.js";
import { epochNow } from "./server-child.js";
import { ServerProcess } from "./server-process.js";
import { delay, median, memory, percentile, round } from "./stats.js";

type Strategy = "stream" | "multiplex";

const MAX_CONCURRENT_STREAMS = 250;

/** What one strategy did with one number of waits. */
interface CaseResult {
  strategy: Strategy;
  waits: number;
  subscribeMs: number;
  clientCpuUsPerSubscription: number;
  terminalToLastSettleMs: number;
  terminalToMedianSettleMs: number;
  terminalToP99SettleMs: number;
  serverWriteAllTerminalsMs: number;
  /**
   * Multiplexed only: a bare connect client (the client's own HTTP/2, no watch loop) reading the failed runs' details, all at
   * once, on the same server right after the burst; the floor under settling the failures.
   */
  bareReadsMs?: number;
  heapBytesPerWaiter: number;
  rssBytesPerWaiter: number;
  clientConnections: number;
  clientStreams: number;
  serverPeakConnections: number;
  serverPeakStreams: number;
  serverStreamsOpened: number;
  statusUpdatesAfterRelease: number;
  clientCpuUsPerUpdate: number;
  serverCpuUsPerUpdate: number;
  succeeded: number;
  failedAsOom: number;
  wrong: number;
}

async function runCase(strategy: Strategy, count: number, ctx: BenchContext): Promise<CaseResult> {
  ctx.log(`waits: ${strategy}, ${count.toLocaleString("en-US")} runs: starting the server child`);
  const { process: server, url } = await ServerProcess.start({
    maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
    speed: 1_000,
  });
  let client: FlyteClient | undefined;
  try {
    const created = await server.ask(
      { type: "create", prefix: `w${count}${strategy[0]}`, count, scenarios: ["succeed", "oom"] },
      "created",
    );
    const names = created.names;
    const before = memory();
    client = createClient({
      endpoint: url,
      project: "flytesnacks",
      domain: "development",
      watch: { strategy },
    });
    const c = client;
    let phasesSeen = 0;
    let released = false;
    let updatesAfterRelease = 0;
    const firstPhase = new Uint8Array(count);
    const settledAt = new Float64Array(count);
    const outcomes: ("ok" | "oom" | "wrong")[] = new Array(count);
    ctx.log(`waits: ${strategy}: subscribing ${count.toLocaleString("en-US")} waits`);
    const cpuSubscribe = process.cpuUsage();
    const subscribeStart = performance.now();
    const waits = names.map((name, i) =>
      c
        .getRun(name)
        .wait({
          onPhase: () => {
            if (released) updatesAfterRelease++;
            if (firstPhase[i] === 0) {
              firstPhase[i] = 1;
              phasesSeen++;
            }
          },
        })
        .then(
          () => {
            settledAt[i] = epochNow();
            outcomes[i] = i % 2 === 0 ? "ok" : "wrong";
          },
          (error: unknown) => {
            settledAt[i] = epochNow();
            outcomes[i] =
              i % 2 === 1 && isFlyteError(error) && error.name === "OOMError" ? "oom" : "wrong";
          },
        ),
    );
    const deadline = performance.now() + 180_000;
    while (phasesSeen < count) {
      if (performance.now() > deadline) throw new Error(`only ${phasesSeen} waits subscribed`);
      await delay(20);
    }
    const subscribeMs = performance.now() - subscribeStart;
    const subscribeCpu = process.cpuUsage(cpuSubscribe);
    // Let the last subscriptions' buffers drain before measuring memory.
    await delay(200);
    const after = memory();
    const clientStats = c.stats();
    const serverBefore = await server.ask({ type: "stats" }, "stats");

    ctx.log(`waits: ${strategy}: releasing every run at once`);
    const profileName = `waits-${strategy}-${count}-burst`;
    const stopProfile = await profilePhase(profileName);
    await server.ask({ type: "profile", name: `${profileName}-server` }, "profiling");
    const cpuBurst = process.cpuUsage();
    released = true;
    const release = await server.ask({ type: "release" }, "released");
    await Promise.all(waits);
    const burstCpu = process.cpuUsage(cpuBurst);
    await stopProfile();
    await server.ask({ type: "profile", name: undefined }, "profiling");
    const serverAfter = await server.ask({ type: "stats" }, "stats");

    // The floor under the multiplexed figure: every failed run needs one GetActionDetails,
    // and here a bare connect client makes exactly those reads, nothing else.
    const failed = names.filter((_, i) => i % 2 === 1);
    const bareReadsMs = strategy === "multiplex" ? await bareReads(url, failed) : undefined;

    const sinceTerminal = Array.from(settledAt, (t) => t - release.firstTerminal);
    const updates = Math.max(1, updatesAfterRelease);
    return {
      strategy,
      waits: count,
      subscribeMs,
      clientCpuUsPerSubscription: (subscribeCpu.user + subscribeCpu.system) / count,
      terminalToLastSettleMs: Math.max(...sinceTerminal),
      terminalToMedianSettleMs: median(sinceTerminal),
      terminalToP99SettleMs: percentile(sinceTerminal, 99),
      serverWriteAllTerminalsMs: release.lastTerminal - release.firstTerminal,
      ...(bareReadsMs === undefined ? {} : { bareReadsMs }),
      heapBytesPerWaiter: (after.heap - before.heap) / count,
      rssBytesPerWaiter: (after.rss - before.rss) / count,
      clientConnections: clientStats.connections,
      clientStreams: clientStats.activeStreams,
      serverPeakConnections: serverAfter.peakConnections,
      serverPeakStreams: serverAfter.peakActiveStreams,
      serverStreamsOpened: serverAfter.totalStreams,
      statusUpdatesAfterRelease: updatesAfterRelease,
      clientCpuUsPerUpdate: (burstCpu.user + burstCpu.system) / updates,
      serverCpuUsPerUpdate: ((serverAfter.cpuMs - serverBefore.cpuMs) * 1000) / updates,
      succeeded: outcomes.filter((o) => o === "ok").length,
      failedAsOom: outcomes.filter((o) => o === "oom").length,
      wrong: outcomes.filter((o) => o !== "ok" && o !== "oom").length,
    };
  } finally {
    await client?.close();
    await server.close();
  }
}

/** Wall time of a bare connect gRPC client reading every run's details at once. */
async function bareReads(url: string, names: readonly string[]): Promise<number> {
  const bare = nodeTransport(url, { protocol: "grpc" });
  const client = createRpcClient(RunService, bare.transport);
  const actionId = (name: string) => ({
    run: { org: "", project: "flytesnacks", domain: "development", name },
    name: "a0",
  });
  // One warm-up call opens the connection, as the client's had been by then.
  await client.getActionDetails({ actionId: actionId(names[0] ?? "") });
  const started = performance.now();
  await Promise.all(names.map((name) => client.getActionDetails({ actionId: actionId(name) })));
  const elapsed = performance.now() - started;
  bare.close();
  return elapsed;
}

export async function concurrentWaits(ctx: BenchContext): Promise<BenchResult> {
  // BENCH_SIZE and BENCH_STRATEGY narrow a full run to one case, for profiling;
  // BENCH_PROFILE=<dir> writes a CPU profile of each burst there.
  const sizes = ctx.quick
    ? [1_000]
    : process.env.BENCH_SIZE
      ? [Number(process.env.BENCH_SIZE)]
      : [1_000, 10_000];
  const strategies: Strategy[] = process.env.BENCH_STRATEGY
    ? [process.env.BENCH_STRATEGY as Strategy]
    : ["stream", "multiplex"];
  const cases: CaseResult[] = [];
  for (const size of sizes) {
    for (const strategy of strategies) cases.push(await runCase(strategy, size, ctx));
  }
  const largest = sizes.at(-1) ?? 0;
  const targets: TargetCheck[] = cases
    .filter((c) => c.waits === largest)
    .flatMap((c) => [
      atMost(
        `${c.waits.toLocaleString("en-US")} waits (${c.strategy}): terminal → last settle`,
        Math.round(c.terminalToLastSettleMs),
        2000,
        " ms",
      ),
      atMost(
        `${c.waits.toLocaleString("en-US")} waits (${c.strategy}): heap per waiter`,
        round(c.heapBytesPerWaiter / 1024, 2),
        4,
        " KiB",
      ),
    ]);
  const kib = (b: number) => round(b / 1024, 2);
  return {
    name: "waits",
    title: "2. Concurrent waits",
    figures: {
      maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
      cases: cases.map((c) => ({
        ...c,
        subscribeMs: Math.round(c.subscribeMs),
        terminalToLastSettleMs: round(c.terminalToLastSettleMs, 1),
        terminalToMedianSettleMs: round(c.terminalToMedianSettleMs, 1),
        terminalToP99SettleMs: round(c.terminalToP99SettleMs, 1),
        serverWriteAllTerminalsMs: round(c.serverWriteAllTerminalsMs, 1),
        ...(c.bareReadsMs === undefined ? {} : { bareReadsMs: round(c.bareReadsMs, 1) }),
        heapBytesPerWaiter: Math.round(c.heapBytesPerWaiter),
        rssBytesPerWaiter: Math.round(c.rssBytesPerWaiter),
        clientCpuUsPerSubscription: round(c.clientCpuUsPerSubscription, 1),
        clientCpuUsPerUpdate: round(c.clientCpuUsPerUpdate, 1),
        serverCpuUsPerUpdate: round(c.serverCpuUsPerUpdate, 1),
      })),
    },
    targets,
    tables: [
      {
        title: `waits settling together (server: child process, maxConcurrentStreams ${MAX_CONCURRENT_STREAMS}; half succeed, half OOM)${ctx.quick ? "; QUICK: 1,000 waits only" : ""}`,
        header: [
          "strategy",
          "waits",
          "subscribe ms",
          "client CPU µs/subscribe",
          "terminal→last ms",
          "→p50 ms",
          "server writes ms",
          "bare reads ms",
          "heap KiB/waiter",
          "RSS KiB/waiter",
          "TCP conns",
          "h2 streams (peak/total)",
          "client CPU µs/update",
          "server CPU µs/update",
          "correct",
        ],
        rows: cases.map((c) => [
          c.strategy,
          c.waits,
          Math.round(c.subscribeMs),
          Math.round(c.clientCpuUsPerSubscription),
          Math.round(c.terminalToLastSettleMs),
          Math.round(c.terminalToMedianSettleMs),
          Math.round(c.serverWriteAllTerminalsMs),
          c.bareReadsMs === undefined ? "" : Math.round(c.bareReadsMs),
          kib(c.heapBytesPerWaiter),
          kib(c.rssBytesPerWaiter),
          c.clientConnections,
          `${c.serverPeakStreams}/${c.serverStreamsOpened}`,
          Math.round(c.clientCpuUsPerUpdate),
          Math.round(c.serverCpuUsPerUpdate),
          c.wrong === 0 ? "all" : `${c.wrong} WRONG`,
        ]),
      },
    ],
    notes: [
      "terminal→last: from the server writing the first terminal state to the last wait() settling in the client (epoch clocks of two processes on one machine)",
      "server writes: how long the server itself took to write every terminal state; it bounds terminal→last from below",
      "bare reads (multiplexed): a bare connect gRPC client on the same HTTP/2 stack reading the failed runs' details all at once on the same server after the burst; those reads are the floor under settling the failures",
      "heap/RSS per waiter: growth after a full GC between before the client was created and every wait subscribed, divided by the number of waits",
      "TCP conns: connections the client opened; h2 streams: the server's peak concurrent requests and total requests (streams and unary calls)",
      "subscribe: from starting the waits to every wait having delivered its first phase; client CPU per subscribe is the process CPU over that time divided by the waits",
      "CPU per update: process CPU during the burst (release → last settle) divided by the status updates delivered to onPhase after the release",
    ],
  };
}
