/**
 * The client options and diagnostics that issue 12 adds, typed here so that the regression
 * suites compile against the client before and after the change: `keepalive`,
 * `watch.failureWindow` and `stats().pingIntervalMs`. Once `ClientOptions` has them, this
 * file reduces to re-exports and can go.
 */

import {
  type ClientOptions,
  createClient,
  type FlyteClient,
  type WatchOptions,
} from "../../src/client/index.js";

/** HTTP/2 PINGs after this much silence; a PING unanswered for `timeoutMs` is a dead link. */
export interface KeepaliveOptions {
  intervalMs?: number;
  timeoutMs?: number;
}

/** At most `maxFailures` failures of one wait within `windowMs`, whatever came between. */
export interface FailureWindow {
  maxFailures: number;
  windowMs: number;
}

/** `ClientOptions` with the options of issue 12. */
export interface PlannedClientOptions extends ClientOptions {
  keepalive?: KeepaliveOptions;
  watch?: WatchOptions & { failureWindow?: FailureWindow };
}

/** `createClient` with the options of issue 12. */
export function createPlannedClient(options: PlannedClientOptions): FlyteClient {
  return createClient(options);
}

/** The client's current PING interval, as `stats()` reports it. */
export function pingIntervalMs(client: FlyteClient): number | undefined {
  return (client.stats() as { pingIntervalMs?: number }).pingIntervalMs;
}
