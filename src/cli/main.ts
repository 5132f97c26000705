#!/usr/bin/env node
/**
 * The `flyte-remote` executable: runs the CLI on this process and exits with its status.
 *
 * @module
 */

import { processIo } from "./cli-io.js";
import { runCli } from "./run-cli.js";

// `flyte-remote demo | head` closes the pipe early; that is not an error worth a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
// Every command closes what it opened, so the process ends on its own. Should a stray
// handle survive, do not hang the user's shell: leave after a grace period.
setTimeout(() => process.exit(code), 2_000).unref();
