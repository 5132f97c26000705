import { create } from "@bufbuild/protobuf";
import { isSuccessPhase } from "../decode/index.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  type Run as RunMessage,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import type { GetActionDetailsResponse } from "../gen/flyteidl2/workflow/run_service_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { FailureGate } from "./failure-gate.js";
import { multiplexerFor, type RunListener } from "./run-multiplexer.js";
import type { Slots } from "./slots.js";
import { UpdateFilter } from "./update-filter.js";
import { type Deliver, isSettled, type WatchTarget } from "./watch-loop.js";

type Item =
  | { readonly kind: "run"; readonly run: RunMessage }
  | { readonly kind: "resync" }
  | { readonly kind: "fail"; readonly error: unknown };

/**
 * One waiter's place on the shared stream: the listener and the queue it fills, as one
 * object. Thousands of these are alive at once, so each holds as little as it can: one
 * pending resolver, and one abort listener for its whole life rather than one per wait.
 */
class Subscription implements RunListener {
  private readonly items: Item[] = [];
  private resolve: ((item: Item) => void) | undefined;
  private readonly onAbort = () => this.push({ kind: "fail", error: this.signal?.reason });

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  update(run: RunMessage): void {
    this.push({ kind: "run", run });
  }
  resync(): void {
    this.push({ kind: "resync" });
  }
  fail(error: unknown): void {
    this.push({ kind: "fail", error });
  }

  /** The next item; an abort of the signal arrives as a `fail` item. */
  next(): Promise<Item> {
    if (this.signal?.aborted) return Promise.resolve({ kind: "fail", error: this.signal.reason });
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<Item>((resolve) => {
      this.resolve = resolve;
    });
  }

  close(): void {
    this.signal?.removeEventListener("abort", this.onAbort);
  }

  private push(item: Item): void {
    const resolve = this.resolve;
    if (resolve === undefined) {
      this.items.push(item);
    } else {
      this.resolve = undefined;
      resolve(item);
    }
  }
}

/** What the loop does after a step. */
type Step = "done" | "read" | "listen" | "ended";

/**
 * The multiplexed form of the watch loop, for a run's root action: the run's changes come
 * from the project's shared WatchRuns stream, and its full details (the error, the
 * attempts) from a GetActionDetails read when it fails, when it joined after the stream's
 * snapshot, or when the shared stream says changes may have been missed. A run that
 * succeeds settles on the status WatchRuns reported, without a read.
 *
 * It keeps the per-run loop's promises: `deliver` gets every state once, in order, and
 * the next state waits for the promise `deliver` returns; it resolves after the state that
 * settles the run, never before. A failed read is judged and retried like a failed stream.
 *
 * It is written against a callback rather than as a generator, and each step handles its
 * state in a function of its own, because `wait()` on thousands of runs holds one of these
 * per run: a generator's iterator promises, or a state left in a suspended frame's
 * registers, cost more memory per wait than everything else together.
 */
export async function followRunMultiplexed(
  core: ClientCore,
  target: WatchTarget,
  signal: AbortSignal | undefined,
  deliver: Deliver,
): Promise<void> {
  const subscription = new Subscription(signal);
  const multiplexer = multiplexerFor(core, target);
  const follower: Follower = {
    core,
    target,
    signal,
    deliver,
    filter: new UpdateFilter(),
    reads: multiplexer.reads,
    gate: undefined,
  };
  try {
    // Before the shared stream's snapshot, the snapshot brings the current state.
    let step: Step = multiplexer.add(target.runName, subscription) ? "read" : "listen";
    let endSeen = false;
    for (;;) {
      if (step === "read") {
        step = await readStep(follower);
        if (step === "done") return;
        if (endSeen) {
          // The shared stream said the run ended before its details did; read again.
          await sleep(core.watch.pollIntervalMs, signal);
          step = "read";
          continue;
        }
      }
      step = await listenStep(follower, subscription);
      if (step === "done") return;
      if (step === "ended") {
        endSeen = true;
        step = "read";
      }
    }
  } finally {
    subscription.close();
    multiplexer.remove(target.runName, subscription);
  }
}

/** What the steps of one multiplexed follow share. */
interface Follower {
  readonly core: ClientCore;
  readonly target: WatchTarget;
  readonly signal: AbortSignal | undefined;
  readonly deliver: Deliver;
  readonly filter: UpdateFilter;
  /** The multiplexer's bound on detail reads in flight. */
  readonly reads: Slots;
  /** Most waits never read, and a gate is a few hundred bytes: made on the first read. */
  gate: FailureGate | undefined;
}

/** Reads the run's details and delivers them; `done` once they settle it. */
async function readStep(f: Follower): Promise<Step> {
  f.gate ??= new FailureGate(f.core, f.target.runName, f.target.actionName);
  const details = await readDetails(f.core, f.target, f.gate, f.reads, f.signal);
  if (f.filter.accept(details)) await f.deliver(details);
  return isSettled(details) ? "done" : "listen";
}

/** Waits for the next item from the shared stream and handles it. */
async function listenStep(f: Follower, subscription: Subscription): Promise<Step> {
  const item = await subscription.next();
  if (item.kind === "fail") throw item.error;
  if (item.kind === "resync") return "read";
  const partial = detailsOf(item.run);
  if (isSettled(partial)) {
    // Success needs nothing more than the status; a failure needs the error, which only
    // the action's details carry.
    if (!isSuccessPhase(partial.status?.phase ?? 0)) return "ended";
    if (f.filter.accept(partial)) await f.deliver(partial);
    return "done";
  }
  if (f.filter.accept(partial)) await f.deliver(partial);
  return "listen";
}

/** What WatchRuns says of a run's root action, as the ActionDetails `onPhase` receives. */
function detailsOf(run: RunMessage): ActionDetails {
  const action = run.action;
  const details = create(ActionDetailsSchema);
  if (action?.id !== undefined) details.id = action.id;
  if (action?.metadata !== undefined) details.metadata = action.metadata;
  if (action?.status !== undefined) details.status = action.status;
  return details;
}

/** Reads the action's details, retrying transient failures under the watch rules. */
async function readDetails(
  core: ClientCore,
  target: WatchTarget,
  gate: FailureGate,
  reads: Slots,
  signal: AbortSignal | undefined,
): Promise<ActionDetails> {
  const actionId = {
    run: { org: target.org, project: target.project, domain: target.domain, name: target.runName },
    name: target.actionName,
  };
  for (;;) {
    gate.attempt();
    try {
      await reads.acquire(signal);
      let response: GetActionDetailsResponse;
      try {
        response = await core.readFailure({ actionId }, signal);
      } finally {
        reads.release();
      }
      gate.delivered();
      return response.details ?? create(ActionDetailsSchema);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const decoded = gate.decode(error, "GetActionDetails");
      if (gate.judge(decoded, "GetActionDetails") === "spent") throw decoded;
      await gate.pause(decoded, signal);
    }
  }
}
