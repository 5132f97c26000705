/**
 * One adversarial pattern, timed in a process of its own (see {@link measureAdversarial}).
 *
 * V8 optimises the scanners for the inputs it has seen. In one process, the patterns met
 * before (and the 2 KB rounds) decide how the scanners are compiled for the next one, and
 * that hid a loop compiled quadratic for one-line messages: it only showed when no message
 * with a line break had been decoded first. A fresh process per pattern lets each find its
 * own worst case. The child warms up on the pattern's own small messages first.
 *
 * Started with the pattern's name, the sizes in MiB and the repetitions as arguments; it
 * sends one {@link AdversarialFigure} per size as soon as that size is measured, so a
 * parent that gives up on a slow size still has the earlier ones.
 */

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { decodeActionDetails } from "../src/decode/index.js";
import { ActionPhase } from "../src/gen/flyteidl2/common/phase_pb.js";
import {
  ActionDetailsSchema,
  ErrorInfo_Kind,
} from "../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { ADVERSARIAL_PATTERNS, adversarialMessage } from "./adversarial.js";
import { timeSlow } from "./timing.js";

/** One size of one pattern: CPU milliseconds for the decode and for `fromBinary` alone. */
export interface AdversarialFigure {
  readonly mib: number;
  readonly encodedBytes: number;
  readonly decodeMs: number;
  readonly parseMs: number;
}

const MIB = 1024 * 1024;

function main(): void {
  const [name, sizes, reps] = process.argv.slice(2);
  const pattern = ADVERSARIAL_PATTERNS.find((p) => p.name === name);
  if (pattern === undefined || sizes === undefined || process.send === undefined) {
    throw new Error(`usage: adversarial-child <pattern> <mib,mib,...> <reps> (over IPC)`);
  }
  // Warm up on the pattern's own small messages, so that V8 has optimised the scanners for
  // this input, and only for it, before the first size is timed.
  const small = failedDetails(adversarialMessage(pattern, 64 * 1024));
  for (let i = 0; i < 20; i++) decodeActionDetails(small);
  for (const mib of sizes.split(",").map(Number)) {
    const encoded = failedDetails(adversarialMessage(pattern, mib * MIB));
    const times = Number(reps ?? 3);
    const figure: AdversarialFigure = {
      mib,
      encodedBytes: encoded.length,
      decodeMs: timeSlow(() => decodeActionDetails(encoded), times).cpuMs,
      parseMs: timeSlow(() => fromBinary(ActionDetailsSchema, encoded), times).cpuMs,
    };
    process.send(figure);
  }
  process.disconnect();
}

/** A FAILED ActionDetails whose ErrorInfo says `message`, encoded. */
function failedDetails(message: string): Uint8Array {
  return toBinary(
    ActionDetailsSchema,
    create(ActionDetailsSchema, {
      id: { run: { name: "adversarial" }, name: "a0" },
      status: { phase: ActionPhase.FAILED, attempts: 1 },
      result: { case: "errorInfo", value: { message, kind: ErrorInfo_Kind.USER } },
    }),
  );
}

main();
