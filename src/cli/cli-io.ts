/**
 * The process as a command sees it. Commands never touch `process` directly, so the
 * same code runs under `main.ts` and under a test that captures its output.
 *
 * @module
 */

/** A place to write text: stdout or stderr. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when a person is looking at it: live views and colour only go there. */
  readonly isTTY?: boolean | undefined;
  /** The terminal width, when it is one. */
  readonly columns?: number | undefined;
}

/** Everything a command may use from its surroundings. */
export interface CliIo {
  /** Only the output the command was asked for: a table, JSON, a URL. */
  readonly stdout: OutputStream;
  /** Progress, diagnostics and errors. */
  readonly stderr: OutputStream;
  /** Input for `explain -`. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined };
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Subscribes to Ctrl-C and SIGTERM; returns the unsubscribe. While a listener is
   * registered the process does not die on the signal, so the command decides.
   */
  onSignal(listener: (signal: "SIGINT" | "SIGTERM") => void): () => void;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onSignal(listener) {
      const onInt = () => listener("SIGINT");
      const onTerm = () => listener("SIGTERM");
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
      return () => {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
      };
    },
  };
}
