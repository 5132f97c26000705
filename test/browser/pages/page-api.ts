/**
 * What the test pages put on `globalThis` for the Node side to call through
 * `page.evaluate`, and the plain, JSON-safe values they answer with. Types only: both the
 * pages and the tests import it.
 */

/** An error as the page saw it, checked with the page's own bundled classes. */
export interface RevivedError {
  readonly name: string;
  /** The object's constructor is the class this bundle exports under that name. */
  readonly constructorIsOwnClass: boolean;
  readonly isFlyteError: boolean;
  readonly instanceOfFlyteError: boolean;
  readonly instanceOfClass: boolean;
  readonly instanceOfBase: boolean;
  readonly instanceOfError: boolean;
  readonly kind: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly hint: string;
  /** `details.bytes`, when it is a Uint8Array. */
  readonly bytes: readonly number[];
  /** `JSON.parse(JSON.stringify(error))`. */
  readonly json: unknown;
}

/** `globalThis.flyteErrorsPage` of errors-page.ts. */
export interface ErrorsPageApi {
  /** `FlyteError.fromJSON(json)`, described with `className` and its base `baseName`. */
  revive(json: unknown, className: string, baseName: string): RevivedError;
  /** An error made by the second bundled copy, described with this copy's classes. */
  fromOtherCopy(className: string, baseName: string): RevivedError;
  /** An error made here, serialised, and revived by the second copy. */
  otherCopyRevives(className: string): {
    name: string;
    kind: string;
    code: string;
    message: string;
  };
}

/** `globalThis.flyteErrorsCopy` of errors-copy.ts. */
export interface CopyApi {
  make(className: string): Error;
  revive(json: unknown): { name: string; kind: string; code: string; message: string };
}

/** Which connect-web transport the page's client uses. */
export type PageProtocol = "connect" | "connect-json" | "grpc-web";

/** How a run ended, as `run.wait()` in the page reported it. */
export interface PageOutcome {
  /** `wait()` resolved (true) or rejected (false). */
  readonly resolved: boolean;
  /** Every phase name `onPhase` delivered, in order. */
  readonly phases: readonly string[];
  /** The final phase name of a resolved wait. */
  readonly phaseName?: string;
  /** The rejection, as the page's own bundle of flyte-remote classifies it. */
  readonly error?: PageError;
}

/** A rejection of `createRun` or `wait()` in the page. */
export interface PageError {
  readonly name: string;
  readonly isFlyteError: boolean;
  /** `error instanceof <the class flyte-remote exports under error.name>`. */
  readonly instanceOfClass: boolean;
  readonly kind: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly message: string;
}

/** What the page runs: a scenario as the task name, under a run name. */
export interface PageRun {
  readonly task: string;
  readonly name: string;
  /** Abort the run once this phase is delivered (for `paused`). */
  readonly abortAtPhase?: string;
  /** Give up after this long; the default is 20 s. */
  readonly timeoutMs?: number;
}

/** `globalThis.flyteClientPage` of msw-page.ts and server-page.ts. */
export interface ClientPageApi {
  /** Creates the page's client (and, for msw, starts the worker). */
  start(config: {
    readonly baseUrl: string;
    readonly protocol: PageProtocol;
    readonly token?: string;
    readonly speed?: number;
  }): Promise<void>;
  /** Creates the run and waits on it, resolving with how it ended; never rejects. */
  run(run: PageRun): Promise<PageOutcome>;
  /** Several runs at once. */
  runAll(runs: readonly PageRun[]): Promise<PageOutcome[]>;
  /** Closes the client (and stops the worker). */
  stop(): Promise<void>;
}
