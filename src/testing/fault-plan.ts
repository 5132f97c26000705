/**
 * Per-run fault bookkeeping: which watch or call misbehaves, and when the
 * faults are used up. Pure counters, no I/O: the transport decides how a
 * "reset" or a "stall" actually looks on its wire.
 *
 * @module
 */

import type { FaultName } from "./scenario.js";

/** How one watch stream misbehaves. */
export interface WatchPlan {
  /** Replace the first message with bytes that do not parse. */
  readonly corruptFirst: boolean;
  /** What happens right after the first message. */
  readonly afterFirst: "reset" | "end" | "stall" | undefined;
  /** Reset the stream whenever it has been idle for the idle-cut time. */
  readonly idleCut: boolean;
}

/** How one call fails before doing anything, if it does. */
export type CallFault = "unavailable" | "slow-down";

/** How many watches `stream-drop` resets. */
export const streamDropCount = 3;
/** How many calls of each method `unavailable` fails. */
export const unavailableCount = 2;

/**
 * The fault counters of one run.
 *
 * Watch faults are consumed in a fixed order, one per watch: malformed, then
 * the stream drops, then clean-eos, then half-open. So `stream-drop+clean-eos`
 * gives three resets, then a clean end, then a healthy watch.
 */
export class FaultState {
  readonly faults: readonly FaultName[];
  private malformed: number;
  private drops: number;
  private cleanEos: number;
  private halfOpen: number;
  private idleCutPending: boolean;
  private inFlight = 0;
  private readonly calls = new Map<string, number>();
  private readonly settledListeners = new Set<() => void>();

  constructor(faults: readonly FaultName[]) {
    this.faults = faults;
    this.malformed = faults.includes("malformed") ? 1 : 0;
    this.drops = faults.includes("stream-drop") ? streamDropCount : 0;
    this.cleanEos = faults.includes("clean-eos") ? 1 : 0;
    this.halfOpen = faults.includes("half-open") ? 1 : 0;
    this.idleCutPending = faults.includes("idle-cut");
  }

  /**
   * Whether watch faults are still waiting to fire. A run holds before its
   * terminal step while this is true, so a fast timeline cannot finish before
   * the client ever meets the fault it is meant to survive.
   */
  get watchFaultsPending(): boolean {
    const unfired = this.malformed + this.drops + this.cleanEos + this.halfOpen + this.inFlight;
    return unfired > 0 || this.idleCutPending;
  }

  /** Calls `listener` once the watch faults are used up. */
  onSettled(listener: () => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /**
   * Decides how the next watch of the run misbehaves, reserving the fault.
   * Pass the plan to {@link settleWatch} when the watch ends: a fault counts
   * as used only once it fired, so a watch that ends before its first message
   * goes out (or whose first message is already terminal) hands it back.
   */
  nextWatch(): WatchPlan {
    const idleCut = this.faults.includes("idle-cut");
    let plan: WatchPlan = { corruptFirst: false, afterFirst: undefined, idleCut };
    if (this.malformed > 0) {
      this.malformed--;
      plan = { ...plan, corruptFirst: true };
    } else if (this.drops > 0) {
      this.drops--;
      plan = { ...plan, afterFirst: "reset" };
    } else if (this.cleanEos > 0) {
      this.cleanEos--;
      plan = { ...plan, afterFirst: "end" };
    } else if (this.halfOpen > 0) {
      this.halfOpen--;
      plan = { ...plan, afterFirst: "stall" };
    }
    if (plan.corruptFirst || plan.afterFirst !== undefined) this.inFlight++;
    return plan;
  }

  /** Ends a watch planned by {@link nextWatch}; `fired` says whether its fault happened. */
  settleWatch(plan: WatchPlan, fired: boolean): void {
    if (!plan.corruptFirst && plan.afterFirst === undefined) return;
    this.inFlight--;
    if (!fired) {
      if (plan.corruptFirst) this.malformed++;
      else if (plan.afterFirst === "reset") this.drops++;
      else if (plan.afterFirst === "end") this.cleanEos++;
      else this.halfOpen++;
    }
    this.checkSettled();
  }

  /** Records that an idle cut happened. */
  idleCutFired(): void {
    this.idleCutPending = false;
    this.checkSettled();
  }

  /**
   * Decides whether this call of `method` fails up front: `slow-down` hits the
   * first call of each method, `unavailable` the next two.
   */
  nextCall(method: string): CallFault | undefined {
    const n = this.calls.get(method) ?? 0;
    this.calls.set(method, n + 1);
    let index = n;
    if (this.faults.includes("slow-down")) {
      if (index === 0) return "slow-down";
      index--;
    }
    if (this.faults.includes("unavailable") && index < unavailableCount) return "unavailable";
    return undefined;
  }

  private checkSettled(): void {
    if (this.watchFaultsPending) return;
    const listeners = [...this.settledListeners];
    this.settledListeners.clear();
    for (const l of listeners) l();
  }
}
