/**
 * The one error that means "the command line was wrong". It is the CLI's own, not a
 * Flyte error: nothing reached the server, so there is no kind to report.
 *
 * @module
 */

/** A wrong command line; exits 64 with its message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose `--help` to point at, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
