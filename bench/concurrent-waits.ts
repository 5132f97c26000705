/**
 * Benchmark 2: thousands of concurrent waits on a server that allows 250 streams per
 * connection, all runs reaching their terminal phase at the same moment (held, then
 * released together), half succeeding and half failing with an OOM.
 *
 * The server runs in a child process (bench/server-child.ts) pinned to one core and the
 * client to the other (where `taskset` exists), so each CPU figure is its own side's and
 * neither borrows the other's time. Each figure is set against the floor measured first in
 * the same run (bench/floor.ts): the client CPU of a bare `node:http2` unary call of a
 * 2 KB reply. The two watch strategies run one after the other, each against a fresh
 * server.
 */

import { createClient as createRpcClient } from "@connectrpc/connect";
import { isFlyteError } from "../src/errors/index.js";
import { RunService } from "../src/gen/flyteidl2/workflow/run_service_pb.js";
import { createClient, type FlyteClient } from "../src/index.node.js";
import { nodeTransport } from "../test/support/transports.js";
import { type Floor, measureFloor } from "./floor.js";
import { canPin, pin, unpin } from "./pin.js";
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
  /** Process CPU of each side from the release to the last settle. */
  clientCpuMsBurst: number;
  serverCpuMsBurst: number;
  clientCpuUsPerSettledWait: number;
  /** Multiplexed: the server's burst CPU per detail read of a failed run. */
  serverCpuUsPerDetailRead?: number;
  succeeded: number;
  failedAsOom: number;
  wrong: number;
}

async function runCase(
  strategy: Strategy,
  count: number,
  ctx: BenchContext,
  pinned: boolean,
): Promise<CaseResult> {
  ctx.log(`waits: ${strategy}, ${count.toLocaleString("en-US")} runs: starting the server child`);
  const { process: server, url } = await ServerProcess.start({
    maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
    speed: 1_000,
  });
  if (pinned) pin(server.pid, 1);
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
    const clientCpuMsBurst = (burstCpu.user + burstCpu.system) / 1000;
    const serverCpuMsBurst = serverAfter.cpuMs - serverBefore.cpuMs;
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
      clientCpuMsBurst,
      serverCpuMsBurst,
      clientCpuUsPerSettledWait: (clientCpuMsBurst * 1000) / count,
      ...(strategy === "multiplex"
        ? { serverCpuUsPerDetailRead: (serverCpuMsBurst * 1000) / failed.length }
        : {}),
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
  // BENCH_PROFILE=<dir> writes a CPU profile of each burst there; BENCH_PIN=0 turns the
  // pinning off.
  const sizes = ctx.quick
    ? [1_000]
    : process.env.BENCH_SIZE
      ? [Number(process.env.BENCH_SIZE)]
      : [5_000, 10_000];
  const strategies: Strategy[] = process.env.BENCH_STRATEGY
    ? [process.env.BENCH_STRATEGY as Strategy]
    : ["stream", "multiplex"];
  const pinned = process.env.BENCH_PIN !== "0" && canPin() && pin(process.pid, 0);
  const cases: CaseResult[] = [];
  let floor: Floor;
  try {
    ctx.log(`waits: the floor, ${pinned ? "pinned" : "NOT pinned"}`);
    floor = await measureFloor(ctx.quick ? 1_000 : 5_000, pinned);
    for (const size of sizes) {
      for (const strategy of strategies) cases.push(await runCase(strategy, size, ctx, pinned));
    }
  } finally {
    if (pinned) unpin(process.pid);
  }
  const ratioSize = ctx.quick ? (sizes[0] ?? 0) : 5_000;
  const largest = sizes.at(-1) ?? 0;
  const label = (c: CaseResult) => `${c.waits.toLocaleString("en-US")} waits (${c.strategy})`;
  const ratio = (c: CaseResult) => round(c.clientCpuUsPerSettledWait / floor.clientCpuUsPerCall, 2);
  const boundBy = (c: CaseResult) =>
    round(c.terminalToLastSettleMs / Math.max(c.clientCpuMsBurst, c.serverCpuMsBurst), 2);
  const targets: TargetCheck[] = [
    ...cases
      .filter((c) => c.waits === ratioSize)
      .map((c) =>
        atMost(
          `${label(c)}: client CPU per settled wait / floor per call`,
          ratio(c),
          c.strategy === "multiplex" ? 1.5 : 2,
          "x",
        ),
      ),
    ...cases
      .filter((c) => c.waits === largest)
      .flatMap((c) => [
        atMost(`${label(c)}: settle time / max(client, server) burst CPU`, boundBy(c), 1.2, "x"),
        atMost(
          `${label(c)}: terminal → last settle`,
          Math.round(c.terminalToLastSettleMs),
          2000,
          " ms",
        ),
        atMost(
          `${label(c)}: heap per waiter`,
          round(c.heapBytesPerWaiter / 1024, 2),
          c.strategy === "multiplex" ? 4 : 16,
          " KiB",
        ),
      ]),
  ];
  const kib = (b: number) => round(b / 1024, 2);
  return {
    name: "waits",
    title: "2. Concurrent waits",
    figures: {
      maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
      pinned,
      floor: {
        calls: floor.calls,
        wallMs: round(floor.wallMs, 1),
        clientCpuUsPerCall: round(floor.clientCpuUsPerCall, 1),
        serverCpuUsPerCall: round(floor.serverCpuUsPerCall, 1),
        replyBytes: floor.replyBytes,
      },
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
        clientCpuMsBurst: round(c.clientCpuMsBurst, 1),
        serverCpuMsBurst: round(c.serverCpuMsBurst, 1),
        clientCpuUsPerSettledWait: round(c.clientCpuUsPerSettledWait, 1),
        ...(c.serverCpuUsPerDetailRead === undefined
          ? {}
          : { serverCpuUsPerDetailRead: round(c.serverCpuUsPerDetailRead, 1) }),
        ratioToFloor: ratio(c),
        settleOverBurstCpu: boundBy(c),
      })),
    },
    targets,
    tables: [
      {
        title: `the floor: a bare node:http2 client, ${floor.calls.toLocaleString("en-US")} unary calls of a ${floor.replyBytes}-byte reply at once, against a bare node:http2 server in another process${pinned ? " (client and server pinned to a core each)" : ""}`,
        header: ["wall ms", "client CPU µs/call", "server CPU µs/call"],
        rows: [
          [
            Math.round(floor.wallMs),
            round(floor.clientCpuUsPerCall, 1),
            round(floor.serverCpuUsPerCall, 1),
          ],
        ],
      },
      {
        title: `waits settling together (server: child process, maxConcurrentStreams ${MAX_CONCURRENT_STREAMS}; half succeed, half OOM)${pinned ? "; client and server pinned to a core each" : ""}${ctx.quick ? "; QUICK: 1,000 waits only" : ""}`,
        header: [
          "strategy",
          "waits",
          "client CPU µs/settled wait",
          "÷ floor",
          "burst CPU ms client/server",
          "terminal→last ms",
          "÷ max CPU",
          "→p50 ms",
          "server CPU µs/detail read",
          "heap KiB/waiter",
          "TCP conns",
          "h2 streams (peak/total)",
          "correct",
        ],
        rows: cases.map((c) => [
          c.strategy,
          c.waits,
          Math.round(c.clientCpuUsPerSettledWait),
          ratio(c),
          `${Math.round(c.clientCpuMsBurst)}/${Math.round(c.serverCpuMsBurst)}`,
          Math.round(c.terminalToLastSettleMs),
          boundBy(c),
          Math.round(c.terminalToMedianSettleMs),
          c.serverCpuUsPerDetailRead === undefined ? "" : Math.round(c.serverCpuUsPerDetailRead),
          kib(c.heapBytesPerWaiter),
          c.clientConnections,
          `${c.serverPeakStreams}/${c.serverStreamsOpened}`,
          c.wrong === 0 ? "all" : `${c.wrong} WRONG`,
        ]),
      },
    ],
    notes: [
      "floor: a bare node:http2 client sending each request, reading the 2 KB reply and parsing it with fromBinary; its server answers with a prebuilt reply; nothing of flyte-remote or connect-es on either side",
      "client CPU per settled wait: the client process's CPU from the release to the last settle, divided by the waits; successes need no call at all, failures one detail read (multiplexed) or the end of their own stream",
      "terminal→last: from the server writing the first terminal state to the last wait() settling in the client (epoch clocks of two processes on one machine); ÷ max CPU sets it against the larger of the two processes' CPU over the burst: 1.0 means one side was busy all along, more means time spent waiting",
      "server CPU per detail read: the server child's CPU over the burst divided by the failed runs' detail reads; it includes ending the watch streams and writing the terminal states",
      "heap per waiter: growth after a full GC between before the client was created and every wait subscribed, divided by the number of waits",
      "TCP conns: connections the client opened; h2 streams: the server's peak concurrent requests and total requests (streams and unary calls)",
    ],
  };
}
