/**
 * Timing of small synchronous operations: calibrated batches, alternated between the
 * operations compared, so a slowdown of the machine hits every operation alike and cancels
 * out of their ratio.
 *
 * Each batch is timed twice: by the wall clock, and by the CPU time the process used
 * (`process.cpuUsage`). On a shared 2-core machine the wall clock also counts the time other
 * processes held the core; CPU time does not, so ratios are taken from CPU time. It does
 * count V8's helper threads (concurrent GC), which is part of what an operation costs.
 */

import { collectGarbage, median } from "./stats.js";

/** Something the optimiser cannot prove unused, so measured calls are not removed. */
let sink: unknown;

/** Milliseconds per call of `fn` over `iterations` calls, by wall clock and by CPU time. */
export interface OpTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export function timeOp(fn: () => unknown, iterations: number): OpTime {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) sink = fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs: wall / iterations, cpuMs: (used.user + used.system) / 1000 / iterations };
}

/** How many calls of `fn` take about `targetMs`, after warming it up for as long. */
export function calibrate(fn: () => unknown, targetMs: number): number {
  let n = 1;
  let total = 0;
  const warmUntil = performance.now() + targetMs;
  while (performance.now() < warmUntil) {
    total += n;
    timeOp(fn, n);
    n = Math.min(n * 2, 1 << 20);
  }
  const per = timeOp(fn, Math.max(1, Math.floor(total / 4))).cpuMs;
  return Math.max(1, Math.round(targetMs / Math.max(per, 1e-6)));
}

/** Per-operation times of several operations measured in alternating rounds. */
export interface Comparison {
  /** Median CPU milliseconds per call, by operation name. */
  readonly cpuMsPerOp: Readonly<Record<string, number>>;
  /** Median wall-clock milliseconds per call, by operation name. */
  readonly wallMsPerOp: Readonly<Record<string, number>>;
  /** Median over rounds of `cpu(name) / cpu(baseline)` measured in the same round. */
  readonly ratioToBaseline: Readonly<Record<string, number>>;
  readonly rounds: number;
  /** Median over rounds of `cpu(name) / cpu(base)`, both measured in the same round. */
  ratio(name: string, base: string): number;
}

/**
 * Measures every operation in `ops` for `rounds` rounds of about `roundMs` of CPU each,
 * rotating their order from round to round; the first operation is the baseline.
 */
export function compare(
  ops: Readonly<Record<string, () => unknown>>,
  options: { rounds: number; roundMs: number },
): Comparison {
  const names = Object.keys(ops);
  const baseline = names[0];
  if (baseline === undefined) throw new Error("nothing to compare");
  const iterations = new Map(names.map((n) => [n, calibrate(ops[n]!, options.roundMs)]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  const wall = new Map<string, number[]>(names.map((n) => [n, []]));
  const ratios = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < options.rounds; round++) {
    collectGarbage();
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const times = new Map<string, OpTime>();
    for (const name of order) times.set(name, timeOp(ops[name]!, iterations.get(name)!));
    const base = times.get(baseline)!.cpuMs;
    for (const name of names) {
      const t = times.get(name)!;
      cpu.get(name)!.push(t.cpuMs);
      wall.get(name)!.push(t.wallMs);
      ratios.get(name)!.push(t.cpuMs / base);
    }
  }
  if (sink === Symbol.for("never")) console.log(sink);
  const medians = (m: Map<string, number[]>) =>
    Object.fromEntries(names.map((n) => [n, median(m.get(n)!)]));
  const ratio = (name: string, base: string): number => {
    const a = cpu.get(name);
    const b = cpu.get(base);
    if (a === undefined || b === undefined) return Number.NaN;
    return median(a.map((ms, i) => ms / b[i]!));
  };
  return {
    cpuMsPerOp: medians(cpu),
    wallMsPerOp: medians(wall),
    ratioToBaseline: medians(ratios),
    rounds: options.rounds,
    ratio,
  };
}

/** Median of `reps` single calls of a slow `fn`, each after a collection. */
export function timeSlow(fn: () => unknown, reps: number): OpTime {
  const samples: OpTime[] = [];
  for (let i = 0; i < reps; i++) {
    collectGarbage();
    samples.push(timeOp(fn, 1));
  }
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
  };
}
