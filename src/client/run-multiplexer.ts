import type { Run as RunMessage } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore, Scope } from "./client-core.js";
import { FailureGate } from "./failure-gate.js";

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
  private readonly listeners = new Map<string, Set<RunListener>>();
  private controller: AbortController | undefined;
  private count = 0;
  /** True once the current stream delivered its first message, the snapshot. */
  private live = false;

  constructor(
    private readonly core: ClientCore,
    private readonly scope: Scope,
  ) {}

  /**
   * Starts hearing about one run; returns the function that stops it, and whether the
   * shared stream is already past its snapshot, in which case the waiter must read its
   * run's current state itself. Otherwise the snapshot will bring it.
   */
  add(runName: string, listener: RunListener): { remove: () => void; live: boolean } {
    let set = this.listeners.get(runName);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(runName, set);
    }
    set.add(listener);
    this.count++;
    if (this.controller === undefined) this.start();
    let removed = false;
    const remove = () => {
      if (removed) return;
      removed = true;
      const current = this.listeners.get(runName);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(runName);
      this.count--;
      if (this.count === 0) this.stop();
    };
    return { remove, live: this.live };
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    this.loop(controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      for (const set of this.listeners.values()) for (const l of set) l.fail(error);
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.live = false;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const gate = new FailureGate(this.core);
    for (;;) {
      gate.attempt();
      const lease = this.core.pool.lease();
      try {
        const stream = this.core.clientFor(lease.transport).watchRuns(
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
        for await (const response of stream) {
          gate.delivered();
          const named = new Set<string>();
          for (const run of response.runs) {
            const name = run.action?.id?.run?.name;
            if (name === undefined) continue;
            named.add(name);
            const set = this.listeners.get(name);
            if (set !== undefined) for (const l of [...set]) l.update(run);
          }
          if (!this.live) {
            this.live = true;
            // The first message after (re)connecting is the snapshot: it is the current
            // state of every run it names. Changes to the others may have been missed while
            // the stream was down, so their waiters read them.
            for (const [name, set] of [...this.listeners]) {
              if (!named.has(name)) for (const l of [...set]) l.resync();
            }
          }
        }
        // A clean end (a proxy's idle timeout looks like this): subscribe again.
        await sleep(this.core.watch.cleanEndDelayMs, signal);
      } catch (error) {
        this.live = false;
        if (signal.aborted) return;
        const decoded = gate.decode(error, "WatchRuns");
        if (gate.judge(decoded, "WatchRuns")) throw decoded;
        await gate.pause(decoded, signal);
      } finally {
        lease.release();
      }
    }
  }
}
