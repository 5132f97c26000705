/**
 * A TCP proxy on loopback that sits between a client and a server and misbehaves on
 * command: it resets connections (a TCP RST, as a load balancer or a NAT that lost its
 * entry sends), or black-holes them (bytes go in, nothing comes out, nothing is closed: the
 * half-open connection that hung the Python SDK's watch for hours).
 *
 * It works on bytes only, so it is protocol-agnostic: HTTP/2, HTTP/1.1, any RPC protocol.
 */

import { createServer, type Server, Socket } from "node:net";
import type { Rng } from "./rng.js";

/** One proxied connection: the client's socket and ours to the server. */
interface Pair {
  readonly downstream: Socket;
  readonly upstream: Socket;
  /** Bytes are dropped both ways, and neither socket is closed. */
  blackholed: boolean;
}

/** Counters of a {@link ChaosProxy}. */
export interface ChaosProxyStats {
  /** Connections accepted since start. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** Connections reset on command. */
  resets: number;
  /** Connections black-holed on command, or accepted while everything is black-holed. */
  blackholed: number;
}

/** A running proxy. */
export interface ChaosProxy {
  /** `http://127.0.0.1:<port>`, for a client's endpoint. */
  readonly url: string;
  readonly port: number;
  /** Resets every open connection with a TCP RST; returns how many. */
  resetAll(): number;
  /** Resets one open connection, chosen by `rng`; returns how many (0 or 1). */
  resetOne(rng: Rng): number;
  /**
   * Black-holes every open connection: from now on their bytes are dropped both ways and
   * they stay open until the proxy closes. Connections accepted later are healthy, unless
   * `alsoNew` is set, until {@link ChaosProxy.restore}.
   */
  blackholeAll(options?: { alsoNew?: boolean }): number;
  /** New connections flow normally again; the black-holed ones stay dead. */
  restore(): void;
  stats(): ChaosProxyStats;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 to `target`. */
export async function startChaosProxy(target: {
  host?: string;
  port: number;
}): Promise<ChaosProxy> {
  const pairs = new Set<Pair>();
  const counts = { accepted: 0, resets: 0, blackholed: 0 };
  let blackholeNew = false;

  const server: Server = createServer((downstream) => {
    counts.accepted++;
    const upstream = new Socket();
    const pair: Pair = { downstream, upstream, blackholed: blackholeNew };
    if (blackholeNew) counts.blackholed++;
    pairs.add(pair);
    const end = () => {
      if (!pairs.delete(pair)) return;
      downstream.destroy();
      upstream.destroy();
    };
    for (const socket of [downstream, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
    forward(pair, downstream, upstream);
    forward(pair, upstream, downstream);
    upstream.connect(target.port, target.host ?? "127.0.0.1");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  const port = address.port;

  const reset = (pair: Pair) => {
    if (!pairs.delete(pair)) return;
    counts.resets++;
    rst(pair.downstream);
    rst(pair.upstream);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    resetAll() {
      const all = [...pairs].filter((p) => !p.blackholed);
      for (const pair of all) reset(pair);
      return all.length;
    },
    resetOne(rng) {
      const live = [...pairs].filter((p) => !p.blackholed);
      if (live.length === 0) return 0;
      reset(rng.pick(live));
      return 1;
    },
    blackholeAll(options = {}) {
      let n = 0;
      for (const pair of pairs) {
        if (pair.blackholed) continue;
        pair.blackholed = true;
        n++;
      }
      counts.blackholed += n;
      if (options.alsoNew === true) blackholeNew = true;
      return n;
    },
    restore() {
      blackholeNew = false;
    },
    stats: () => ({ ...counts, open: pairs.size }),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.downstream.destroy();
        pair.upstream.destroy();
      }
      await closed;
    },
  };
}

/** Copies `from` into `to` with backpressure, dropping everything while black-holed. */
function forward(pair: Pair, from: Socket, to: Socket): void {
  from.on("data", (chunk: Buffer) => {
    if (pair.blackholed || to.destroyed) return;
    if (!to.write(chunk)) {
      from.pause();
      to.once("drain", () => from.resume());
    }
  });
}

/** Ends a socket with a TCP RST where the platform can, else destroys it. */
function rst(socket: Socket): void {
  try {
    if (!socket.destroyed && socket.readyState === "open") {
      socket.resetAndDestroy();
      return;
    }
  } catch {
    // Not connected yet: fall through.
  }
  socket.destroy();
}

/** A running schedule of resets, from {@link startResetSchedule}. */
export interface ResetSchedule {
  /** Resets done so far (connections, not ticks). */
  readonly resets: () => number;
  /** Ticks so far. */
  readonly ticks: () => number;
  /** Resolves when the schedule's duration is over. */
  readonly done: Promise<void>;
  /** Stops early. */
  stop(): void;
}

/**
 * Resets connections at random intervals between `minMs` and `maxMs`, drawn from `rng`, for
 * `durationMs`: every open connection per tick with `mode: "all"`, one with `"one"`.
 */
export function startResetSchedule(
  proxy: ChaosProxy,
  options: { rng: Rng; minMs: number; maxMs: number; durationMs: number; mode: "all" | "one" },
): ResetSchedule {
  let resets = 0;
  let ticks = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const endAt = performance.now() + options.durationMs;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    finish();
  };
  const tick = () => {
    const wait = options.rng.int(options.minMs, options.maxMs);
    if (performance.now() + wait > endAt) {
      timer = setTimeout(stop, Math.max(0, endAt - performance.now()));
      return;
    }
    timer = setTimeout(() => {
      ticks++;
      resets += options.mode === "all" ? proxy.resetAll() : proxy.resetOne(options.rng);
      tick();
    }, wait);
  };
  tick();
  return { resets: () => resets, ticks: () => ticks, done, stop };
}
