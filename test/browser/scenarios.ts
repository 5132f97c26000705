/**
 * The runs the client pages make and what each must end with, taken from the scenario
 * catalogue so the browser suites keep the same promise as the server and the demo.
 */

import { expect } from "vitest";
import { phaseName } from "../../src/decode/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { FAULTS, outcomeCatalogue } from "../../src/testing/index.js";
import type { PageOutcome, PageProtocol, PageRun } from "./pages/page-api.js";

/** What one run must end with. */
export interface Promised {
  readonly resolved: boolean;
  readonly phaseName: string;
  readonly errorName?: string;
  readonly kind?: string;
  readonly code?: string;
}

/** A run for the page and its promise. */
export interface BrowserCase {
  readonly run: PageRun;
  readonly promised: Promised;
}

function promisedBy(outcome: string): Promised & { abortAtPhase?: string } {
  const info = outcomeCatalogue.find((o) => o.name === outcome);
  if (info === undefined) throw new Error(`no catalogue entry for ${outcome}`);
  if (info.name === "paused") {
    // PAUSED waits for a signal forever; the page aborts it there, as the demo does.
    return {
      resolved: false,
      phaseName: "ABORTED",
      errorName: "RunAbortedError",
      kind: "user",
      code: "RunAbortedError",
      abortAtPhase: phaseName(ActionPhase.PAUSED),
    };
  }
  return {
    resolved: info.success,
    phaseName: phaseName(info.finalPhase),
    ...(info.errorClass === undefined ? {} : { errorName: info.errorClass }),
    ...(info.errorKind === undefined ? {} : { kind: info.errorKind }),
    ...(info.code === undefined ? {} : { code: info.code }),
  };
}

function browserCase(task: string, name: string): BrowserCase {
  const { abortAtPhase, ...promised } = promisedBy(task.split("+").at(-1) ?? task);
  return { run: { task, name, ...(abortAtPhase === undefined ? {} : { abortAtPhase }) }, promised };
}

/** One run per outcome of the catalogue; run names start with `prefix`. */
export function outcomeCases(prefix: string): BrowserCase[] {
  return outcomeCatalogue.map((o, i) => browserCase(o.name, `${prefix}-o${i}`));
}

/** A fault the client does not yet survive in a browser, and why. */
export interface BrowserFaultGap {
  readonly fault: string;
  /** The transports it fails on; all when absent. */
  readonly protocols?: readonly PageProtocol[];
  readonly reason: string;
}

/**
 * Faults left out of the browser suites until the client survives them (the scenario
 * catalogue promises the outcome after the fault), rather than asserted as they fail
 * today. Each suite lists them as `todo` with the reason.
 */
export const browserFaultGaps: readonly BrowserFaultGap[] = [];

/** The gaps of `protocol`. */
export function faultGapsOf(protocol: PageProtocol): BrowserFaultGap[] {
  return browserFaultGaps.filter(
    (g) => g.protocols === undefined || g.protocols.includes(protocol),
  );
}

/**
 * Every fault before `succeed` and before `oom`, minus {@link browserFaultGaps} for
 * `protocol`; run names start with `prefix`.
 */
export function faultCases(prefix: string, protocol: PageProtocol): BrowserCase[] {
  const gap = (fault: string) =>
    browserFaultGaps.some(
      (g) => g.fault === fault && (g.protocols === undefined || g.protocols.includes(protocol)),
    );
  return FAULTS.flatMap((fault, i) =>
    gap(fault)
      ? []
      : [
          browserCase(`${fault}+succeed`, `${prefix}-f${i}s`),
          browserCase(`${fault}+oom`, `${prefix}-f${i}o`),
        ],
  );
}

/**
 * Asserts that the page saw the run end as promised: class, kind and code of its error.
 * Soft assertions, so one test reports every broken promise of a batch at once.
 */
export function expectPromiseKept(outcome: PageOutcome, c: BrowserCase): void {
  const what = `${c.run.task} (${c.run.name}): ${JSON.stringify(outcome)}`;
  const { promised } = c;
  expect.soft(outcome.resolved, what).toBe(promised.resolved);
  if (promised.resolved) {
    expect.soft(outcome.phaseName, what).toBe(promised.phaseName);
  } else {
    expect.soft(outcome.error, what).toMatchObject({
      isFlyteError: true,
      instanceOfClass: true,
      name: promised.errorName,
      ...(promised.kind === undefined ? {} : { kind: promised.kind }),
      ...(promised.code === undefined ? {} : { code: promised.code }),
    });
  }
  // The last phase delivered is the final one (a failed wait reports it before throwing).
  expect.soft(outcome.phases.at(-1), what).toBe(promised.phaseName);
}
