/**
 * Runs the benchmarks, prints a table per benchmark and writes bench/results.json.
 * Started by bench/run.mjs (`npm run bench`), which builds this file first.
 *
 * Flags: `--quick` (smaller sizes, for CI: proves the benchmarks run, in under a minute),
 * `--only decode,waits,latency,reconnect`, `--out <path>` (default bench/results.json).
 */

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { concurrentWaits } from "./concurrent-waits.js";
import { decodeCost } from "./decode-cost.js";
import { latency } from "./latency.js";
import { reconnect } from "./reconnect.js";
import { type BenchContext, type BenchResult, printResult } from "./report.js";
import { round } from "./stats.js";

const BENCHMARKS: Readonly<Record<string, (ctx: BenchContext) => Promise<BenchResult>>> = {
  decode: decodeCost,
  waits: concurrentWaits,
  latency,
  reconnect,
};

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i === -1) return undefined;
  const arg = args[i]!;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[i + 1];
}

const quick = process.argv.includes("--quick");
const only = option("--only")?.split(",") ?? Object.keys(BENCHMARKS);
const out = option("--out") ?? "bench/results.json";
const unknown = only.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`,
  );
  process.exit(2);
}

const machine = {
  cores: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  platform: `${platform()} ${release()}`,
  loadAverageAtStart: loadavg().map((l) => round(l, 2)),
};
/** The commit measured: `BENCH_SOURCE` when set (a run from an exported tree), else git's HEAD. */
function sourceCommit(): string {
  if (process.env.BENCH_SOURCE) return process.env.BENCH_SOURCE;
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "bench"], {
      encoding: "utf8",
    }).trim();
    return dirty === "" ? head : `${head} with uncommitted changes in src/ or bench/`;
  } catch {
    return "unknown";
  }
}

const source = sourceCommit();
const started = performance.now();
console.log(
  `flyte-remote benchmarks${quick ? " (QUICK: reduced sizes, figures are indicative only)" : ""}`,
);
console.log(
  `machine: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtStart.join(" ")}`,
);

const results: BenchResult[] = [];
const ctx: BenchContext = {
  quick,
  log: (message) =>
    console.error(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`),
};
for (const name of only) {
  const result = await BENCHMARKS[name]!(ctx);
  printResult(result);
  results.push(result);
}

const totalSeconds = round((performance.now() - started) / 1000, 1);
writeFileSync(
  out,
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      mode: quick ? "quick" : "full",
      command: `npm run bench${quick || only.length < Object.keys(BENCHMARKS).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      source,
      machine,
      totalSeconds,
      results: results.map(({ tables: _tables, ...rest }) => rest),
    },
    null,
    2,
  )}\n`,
);
const missed = results.flatMap((r) => r.targets).filter((t) => !t.met);
console.log(
  `\nwrote ${out} in ${totalSeconds} s; ${missed.length === 0 ? "every target met" : `${missed.length} target(s) missed (informative only): ${missed.map((t) => t.figure).join("; ")}`}`,
);
