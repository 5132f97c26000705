/**
 * Benchmark 1: what decoding a failure costs on top of parsing it, and proof that the text
 * scans stay linear on adversarial megabyte messages.
 */

import { fork } from "node:child_process";
import { fromBinary, toJson } from "@bufbuild/protobuf";
import { decodeActionDetails } from "../src/decode/index.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
} from "../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { ADVERSARIAL_PATTERNS } from "./adversarial.js";
import type { AdversarialFigure } from "./adversarial-child.js";
import { failedOomDetails } from "./fixtures.js";
import { atMost, type BenchContext, type BenchResult } from "./report.js";
import { round } from "./stats.js";
import { compare } from "./timing.js";

const MIB = 1024 * 1024;

/** The naive baseline's one error class: the message, and the details kept. */
class NaiveError extends Error {
  constructor(readonly details: ActionDetails) {
    super(details.result.case === "errorInfo" ? details.result.value.message : "failed");
  }
}

export async function decodeCost(ctx: BenchContext): Promise<BenchResult> {
  const { details, bytes } = await failedOomDetails();
  const context = { runName: details.id?.run?.name ?? "", actionName: "a0" };
  const check = decodeActionDetails(bytes, context);
  if (check?.name !== "OOMError") throw new Error(`fixture decoded as ${check?.name}`);

  ctx.log("decode: 2 KB FAILED ActionDetails, alternating rounds");
  const rounds = ctx.quick ? 5 : 15;
  const cmp = compare(
    {
      "naive: fromBinary + new Error (baseline)": () => {
        const parsed = fromBinary(ActionDetailsSchema, bytes);
        return new Error(parsed.result.case === "errorInfo" ? parsed.result.value.message : "");
      },
      "decodeActionDetails(bytes)": () => decodeActionDetails(bytes, context),
      "naive: wrap a parsed message in one error class": () => new NaiveError(details),
      "decodeActionDetails(message)": () => decodeActionDetails(details, context),
      "fromBinary alone": () => fromBinary(ActionDetailsSchema, bytes),
      "toJson (details.actionDetails on first read)": () => toJson(ActionDetailsSchema, details),
    },
    // Quick runs keep the full round length: rounds of 60 ms let the JIT and the GC's
    // helper threads dominate, and gave ratios below 1.
    { rounds, roundMs: 200 },
  );
  const ratio = cmp.ratioToBaseline["decodeActionDetails(bytes)"] ?? Number.NaN;
  // Like the ratio from bytes, a median of the ratios of each round, not a ratio of medians.
  const parsedRatio = cmp.ratio(
    "decodeActionDetails(message)",
    "naive: wrap a parsed message in one error class",
  );
  const decodeRows = Object.entries(cmp.cpuMsPerOp).map(([name, ms]) => [
    name,
    round(ms * 1000, 1),
    round((cmp.wallMsPerOp[name] ?? Number.NaN) * 1000, 1),
    Math.round(1000 / ms),
    round(cmp.ratioToBaseline[name] ?? Number.NaN, 2),
  ]);

  ctx.log("decode: adversarial messages at 1, 5 and 10 MiB, a fresh process per pattern");
  const sizes = [1, 5, 10];
  const reps = ctx.quick ? 1 : 3;
  const adversarial: Record<string, Record<string, number>> = {};
  const adversarialRows: (string | number)[][] = [];
  const unfinished: string[] = [];
  let worstMsPerMiB = 0;
  let worstGrowth = 0;
  for (const pattern of ADVERSARIAL_PATTERNS) {
    const measured = await measureAdversarial(pattern.name, sizes, reps);
    const perSize: Record<string, number> = {};
    for (const mib of sizes) {
      const figure = measured.get(mib);
      if (figure === undefined) {
        // Not done within the deadline: no finite figure describes it.
        perSize[`${mib}MiB_decode_ms_per_MiB`] = Number.POSITIVE_INFINITY;
        unfinished.push(`${pattern.name} at ${mib} MiB`);
        worstMsPerMiB = Number.POSITIVE_INFINITY;
        continue;
      }
      const encodedMiB = figure.encodedBytes / MIB;
      perSize[`${mib}MiB_decode_ms_per_MiB`] = round(figure.decodeMs / encodedMiB, 2);
      perSize[`${mib}MiB_fromBinary_ms_per_MiB`] = round(figure.parseMs / encodedMiB, 2);
      worstMsPerMiB = Math.max(worstMsPerMiB, figure.decodeMs / encodedMiB);
    }
    const growth =
      (perSize["10MiB_decode_ms_per_MiB"] ?? Number.NaN) /
      (perSize["1MiB_decode_ms_per_MiB"] ?? Number.NaN);
    perSize.growth_10_vs_1 = round(growth, 2);
    worstGrowth = Math.max(worstGrowth, growth);
    adversarial[pattern.name] = perSize;
    adversarialRows.push([
      pattern.name,
      ...sizes.map((s) => perSize[`${s}MiB_decode_ms_per_MiB`] ?? Number.NaN),
      perSize["10MiB_fromBinary_ms_per_MiB"] ?? Number.NaN,
      round(growth, 2),
    ]);
  }

  return {
    name: "decode",
    title: "1. Decode cost",
    figures: {
      payloadBytes: bytes.length,
      attempts: details.attempts.length,
      rounds,
      cpuUsPerOp: Object.fromEntries(
        Object.entries(cmp.cpuMsPerOp).map(([k, v]) => [k, round(v * 1000, 2)]),
      ),
      wallUsPerOp: Object.fromEntries(
        Object.entries(cmp.wallMsPerOp).map(([k, v]) => [k, round(v * 1000, 2)]),
      ),
      opsPerCpuSecond: Object.fromEntries(
        Object.entries(cmp.cpuMsPerOp).map(([k, v]) => [k, Math.round(1000 / v)]),
      ),
      ratioToFromBinary: Object.fromEntries(
        Object.entries(cmp.ratioToBaseline).map(([k, v]) => [k, round(v, 3)]),
      ),
      decodeOverNaive: round(ratio, 3),
      decodeParsedOverNaiveWrap: round(parsedRatio, 3),
      adversarial,
      adversarialWorstMsPerMiB: round(worstMsPerMiB, 2),
      adversarialWorstGrowth10vs1: round(worstGrowth, 2),
      adversarialUnfinished: unfinished,
    },
    targets: [
      atMost("decode from bytes / naive fromBinary + new Error", round(ratio, 2), 1.2, "x"),
      atMost("decode from a parsed message / naive wrap", round(parsedRatio, 2), 2, "x"),
      atMost("adversarial decode, worst ms per MiB", round(worstMsPerMiB, 1), 50, " ms"),
    ],
    tables: [
      {
        title: `2 KB FAILED ActionDetails (${bytes.length} bytes, ${details.attempts.length} attempts, OOM lines); median of ${rounds} alternating rounds`,
        header: ["operation", "CPU µs/op", "wall µs/op", "ops/CPU-s", "× naive from bytes"],
        rows: decodeRows,
      },
      {
        title: `adversarial failure messages: decodeActionDetails(bytes), CPU ms per MiB (median of ${reps})`,
        header: ["pattern", "1 MiB", "5 MiB", "10 MiB", "fromBinary@10", "growth 10/1"],
        rows: adversarialRows,
      },
    ],
    notes: [
      "times are CPU time of this process (wall time also counts other processes holding the core); ratios are taken per round between operations measured back to back, then the median",
      "decodeActionDetails(bytes) = fromBinary + classification + the typed error (no stack: the client adds one where it throws), against the naive fromBinary + new Error(message); decodeActionDetails(message) against wrapping the parsed message in one error class; details.actionDetails is rendered on first read, and the toJson row is what that read costs",
      `each adversarial pattern runs in a fresh process, so the inputs V8 optimised the scanners for are that pattern's own (one pattern's type feedback once hid another's quadratic loop); a size not measured within ${ADVERSARIAL_DEADLINE_MS / 1000} s counts as infinite${unfinished.length === 0 ? "" : `: ${unfinished.join(", ")}`}`,
      "growth 10/1 is ms-per-MiB at 10 MiB over ms-per-MiB at 1 MiB: about 1 means linear, 10 would mean quadratic",
    ],
  };
}

/** How long one pattern's process may take for all its sizes; linear ones need seconds. */
const ADVERSARIAL_DEADLINE_MS = 120_000;

/**
 * Times one adversarial pattern at each size in a child process (bench/adversarial-child.ts),
 * and returns the sizes measured before the deadline. The child inherits `--expose-gc`.
 */
function measureAdversarial(
  pattern: string,
  sizes: readonly number[],
  reps: number,
): Promise<Map<number, AdversarialFigure>> {
  const figures = new Map<number, AdversarialFigure>();
  const child = fork(
    new URL("./adversarial-child.js", import.meta.url),
    [pattern, sizes.join(","), String(reps)],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  child.on("message", (figure: AdversarialFigure) => {
    figures.set(figure.mib, figure);
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill(), ADVERSARIAL_DEADLINE_MS);
    child.once("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(deadline);
      if (code !== 0 && signal === null) {
        reject(new Error(`adversarial child for ${pattern} exited with ${code}`));
      } else {
        resolve(figures);
      }
    });
  });
}
