/**
 * The JSON `wait --json` prints on success. A RunResult holds a protobuf message with
 * 64-bit integers, which `JSON.stringify` cannot write, so the details go out in their
 * proto3 JSON form, the one every Flyte tool reads.
 *
 * @module
 */

import { type JsonValue, toJson } from "@bufbuild/protobuf";
import type { RunId, RunResult } from "../client/index.js";
import { ActionDetailsSchema } from "../gen/flyteidl2/workflow/run_definition_pb.js";

/** The printed form of a {@link RunResult}. */
export interface RunResultJson {
  readonly run: RunId;
  readonly phase: number;
  readonly phaseName: string;
  readonly attempts: number;
  readonly startedAt?: string | undefined;
  readonly endedAt?: string | undefined;
  /** `ActionDetails` in proto3 JSON. */
  readonly details?: JsonValue | undefined;
}

/** Converts a result for printing; never throws. */
export function runResultJson(run: RunId, result: RunResult): RunResultJson {
  let details: JsonValue | undefined;
  try {
    details = toJson(ActionDetailsSchema, result.details);
  } catch {
    // An Any whose type this build does not know; the summary fields still stand.
    details = undefined;
  }
  return {
    run: { org: run.org, project: run.project, domain: run.domain, name: run.name },
    phase: result.phase,
    phaseName: result.phaseName,
    attempts: result.attempts,
    ...(result.startedAt === undefined ? {} : { startedAt: result.startedAt.toISOString() }),
    ...(result.endedAt === undefined ? {} : { endedAt: result.endedAt.toISOString() }),
    ...(details === undefined ? {} : { details }),
  };
}
