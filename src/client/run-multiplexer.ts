import { Code, ConnectError } from "@connectrpc/connect";
import type { Run as RunMessage } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import type { WatchRunsResponse } from "../gen/flyteidl2/workflow/run_service_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { FailureGate } from "./failure-gate.js";
import type { Scope } from "./settings.js";
import { Slots } from "./slots.js";

/**
 * Detail reads one multiplexer keeps in flight: about one connection's worth of streams on
 * a Go server (250). At 64, 10,000 settling waits left both processes idle a third of the
 * time, each waiting on the other's round trips; at 256 neither waits (BENCHMARKS.md).
 */
const MAX_READS_IN_FLIGHT = 256;

/** What a multiplexed waiter hears about its run. */
export interface RunListener {
  /** A new state of the run's root action, as WatchRuns reports it. */
  update(run: RunMessage): void;
  /**
   * The shared stream was (re)opened: changes may have been missed while it was down,
   * so the waiter should read its run's current state.
   */
  resync(): void;
  /** The shared stream failed for good; the waiter rejects with this error. */
  fail(error: unknown): void;
}

/**
 * One WatchRuns stream per project and domain, shared by every waiter in it.
 *
 * Against a server that allows a few hundred streams per connection, a stream per wait
 * needs a connection per few hundred waits; one shared stream needs one, whatever the
 * number of waits. WatchRuns carries only the root action's status, so a waiter reads the
 * full details (errors, attempts) with one GetActionDetails when its run ends.
 *
 * The stream opens with the first waiter and closes with the last, so nothing is left
 * running once every wait has settled. It reconnects under the same rules as a per-run
 * watch: the `silenceGrpcPollingError` hook decides what is noise, backoff has jitter, and
 * the failure counter resets on every message.
 */
export class RunMultiplexer {
  /** Per run: its one listener, or a set when several waits follow the same run. */
  private readonly listeners = new Map<string, RunListener | Set<RunListener>>();
  private controller: AbortController | undefined;
  private count = 0;
  /** True once the current stream delivered its first message, the snapshot. */
  private live = false;
  /**
   * Detail reads of failed runs in flight, at most: well inside one connection's stream
   * budget, next to the shared stream itself.
   */
  readonly reads = new Slots(MAX_READS_IN_FLIGHT);

  constructor(
    private readonly core: ClientCore,
    private readonly scope: Scope,
  ) {}

  /**
   * Starts hearing about one run. Returns whether the shared stream is already past its
   * snapshot, in which case the waiter must read its run's current state itself;
   * otherwise the snapshot will bring it. Stop with {@link RunMultiplexer.remove}.
   */
  add(runName: string, listener: RunListener): boolean {
    const current = this.listeners.get(runName);
    if (current === undefined) this.listeners.set(runName, listener);
    else if (current instanceof Set) current.add(listener);
    else this.listeners.set(runName, new Set([current, listener]));
    this.count++;
    if (this.controller === undefined) this.start();
    return this.live;
  }

  /** Stops hearing about a run; the last listener to go closes the shared stream. */
  remove(runName: string, listener: RunListener): void {
    const current = this.listeners.get(runName);
    if (current === listener) {
      this.listeners.delete(runName);
    } else if (current instanceof Set && current.delete(listener)) {
      if (current.size === 0) this.listeners.delete(runName);
    } else {
      return;
    }
    this.count--;
    if (this.count === 0) this.stop();
  }

  /** Calls `each` for every listener of `runName`, on a copy: a listener may remove itself. */
  private notify(runName: string, each: (listener: RunListener) => void): void {
    const current = this.listeners.get(runName);
    if (current === undefined) return;
    if (current instanceof Set) for (const l of [...current]) each(l);
    else each(current);
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    this.loop(controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      for (const name of [...this.listeners.keys()]) this.notify(name, (l) => l.fail(error));
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.live = false;
  }

  /** Takes the next message and hands its runs to their listeners; false at the end. */
  private async dispatchNext(
    responses: AsyncIterator<WatchRunsResponse>,
    gate: FailureGate,
  ): Promise<boolean> {
    const next = await responses.next();
    if (next.done === true) return false;
    gate.delivered();
    const named = new Set<string>();
    for (const run of next.value.runs) {
      const name = run.action?.id?.run?.name;
      if (name === undefined) continue;
      named.add(name);
      this.notify(name, (l) => l.update(run));
    }
    if (!this.live) {
      this.live = true;
      // The first message after (re)connecting is the snapshot: it is the current state of
      // every run it names. Changes to the others may have been missed while the stream was
      // down, so their waiters read them.
      for (const name of [...this.listeners.keys()]) {
        if (!named.has(name)) this.notify(name, (l) => l.resync());
      }
    }
    // connect's stream keeps the last message until the next one arrives; on a quiet stream
    // that would hold the snapshot, every run of the project, for as long as it is quiet.
    // Each run has been handed to its listeners, so the message itself can let go of them.
    next.value.runs.length = 0;
    return true;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const gate = new FailureGate(this.core);
    for (;;) {
      if (this.core.closed) {
        throw gate.decode(new ConnectError("the client is closed", Code.Canceled), "WatchRuns");
      }
      gate.attempt();
      try {
        const stream = this.core.rpc.watchRuns(
          {
            target: {
              case: "projectId",
              value: {
                organization: this.scope.org,
                name: this.scope.project,
                domain: this.scope.domain,
              },
            },
          },
          { signal },
        );
        this.live = false;
        const responses = stream[Symbol.asyncIterator]();
        while (await this.dispatchNext(responses, gate)) {
          // Each message is handled in dispatchNext's own frame: a message held in this
          // loop's frame while it waits would keep the snapshot, every run of the project,
          // alive for as long as the stream is quiet.
        }
        // A clean end (a proxy's idle timeout looks like this): subscribe again.
        await sleep(this.core.watch.cleanEndDelayMs, signal);
      } catch (error) {
        this.live = false;
        if (signal.aborted) return;
        const decoded = gate.decode(error, "WatchRuns");
        if (gate.judge(decoded, "WatchRuns") === "spent") throw decoded;
        await gate.pause(decoded, signal);
      }
    }
  }
}

/** The multiplexers of each client, by scope; a client that is gone takes its own along. */
const registry = new WeakMap<ClientCore, Map<string, RunMultiplexer>>();

/** The shared WatchRuns stream of a project and domain of `core`. */
export function multiplexerFor(core: ClientCore, scope: Scope): RunMultiplexer {
  let byScope = registry.get(core);
  if (byScope === undefined) {
    byScope = new Map();
    registry.set(core, byScope);
  }
  const key = JSON.stringify([scope.org, scope.project, scope.domain]);
  let mux = byScope.get(key);
  if (mux === undefined) {
    mux = new RunMultiplexer(core, {
      org: scope.org,
      project: scope.project,
      domain: scope.domain,
    });
    byScope.set(key, mux);
  }
  return mux;
}
