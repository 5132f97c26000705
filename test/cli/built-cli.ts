/**
 * Builds the CLI once into a temporary directory and runs it as a subprocess, the way a
 * user runs `flyte-remote`. The build goes to its own outDir, never to `dist/`, so it
 * cannot race other suites; it is keyed by a hash of the sources, and a lock lets
 * concurrent test files share one build.
 */

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(root, "src"));
  for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json"])
    hash.update(readFileSync(join(root, file)));
  return hash.digest("hex").slice(0, 16);
}

async function build(target: string): Promise<void> {
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await promisify(execFile)(
      process.execPath,
      [
        join(root, "node_modules/typescript/bin/tsc"),
        "-p",
        join(root, "tsconfig.build.json"),
        "--outDir",
        join(staging, "dist"),
        "--declaration",
        "false",
        "--declarationMap",
        "false",
        "--sourceMap",
        "false",
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string };
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`building the CLI failed:\n${out.stdout ?? ""}${out.stderr ?? ""}`);
  }
  // package.json next to dist/ gives --version and "type": "module"; node_modules
  // resolves the runtime dependencies, as in an installed package.
  copyFileSync(join(root, "package.json"), join(staging, "package.json"));
  symlinkSync(join(root, "node_modules"), join(staging, "node_modules"), "dir");
  chmodSync(join(staging, "dist/cli/main.js"), 0o755);
  renameSync(staging, target);
}

function removeStaleBuilds(keep: string): void {
  const dayAgo = Date.now() - 24 * 3_600_000;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith("flyte-remote-cli-") || path === keep || path.startsWith(`${keep}.`))
      continue;
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

let built: Promise<string> | undefined;

/** The path of the built `main.js`, building it first if no test file has yet. */
export function builtCli(): Promise<string> {
  built ??= (async () => {
    const target = join(tmpdir(), `flyte-remote-cli-${sourceHash()}`);
    const main = join(target, "dist/cli/main.js");
    const lock = `${target}.lock`;
    const deadline = Date.now() + 240_000;
    while (!existsSync(join(target, ".complete"))) {
      try {
        mkdirSync(lock);
      } catch {
        // Someone else builds; wait for them, or take over a lock left by a dead build.
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held !== undefined && Date.now() - held.mtimeMs > 180_000) {
          rmSync(lock, { recursive: true, force: true });
        }
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for the CLI build lock ${lock}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      try {
        if (!existsSync(join(target, ".complete"))) {
          rmSync(target, { recursive: true, force: true });
          await build(target);
          writeFileSync(join(target, ".complete"), "");
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    removeStaleBuilds(target);
    return main;
  })();
  return built;
}

/** The environment of a subprocess: the test's, minus anything that would change the CLI's behaviour. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(FLYTE_|UNION_|UCTL_CONFIG$|FLYTECTL_CONFIG$|XDG_|NO_COLOR$|FORCE_COLOR$|NODE_OPTIONS$|VITEST)/.test(
        key,
      )
    ) {
      continue;
    }
    env[key] = value;
  }
  // The CLI reads ~/.flyte/config.yaml and keeps sign-ins under the home directory: a
  // machine's own must not change what a test sees.
  return { ...env, HOME: emptyHome(), ...extra };
}

let home: string | undefined;

/** An empty home directory for the CLI under test, one per test process. */
function emptyHome(): string {
  if (home === undefined) home = mkdtempSync(join(tmpdir(), "flyte-remote-cli-home-"));
  return home;
}

/** What a finished subprocess left behind. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `flyte-remote` subprocess. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the output seen so far once `pattern` matches stdout or stderr. */
  waitFor(
    stream: "stdout" | "stderr",
    pattern: RegExp,
    timeoutMs?: number,
  ): Promise<RegExpMatchArray>;
  readonly done: Promise<CliResult>;
}

/** Starts the built CLI with `args`. */
export async function startCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string | Uint8Array } = {},
): Promise<CliProcess> {
  const main = await builtCli();
  const child = spawn(process.execPath, [main, ...args], {
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  const waiters = new Set<() => void>();
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream]?.setEncoding("utf8");
    child[stream]?.on("data", (chunk: string) => {
      output[stream] += chunk;
      for (const waiter of [...waiters]) waiter();
    });
  }
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, ...output }));
  });
  return {
    child,
    done,
    waitFor(stream, pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output[stream].match(pattern);
          if (match === null) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms; got:\n${output[stream]}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void done.then(() => {
          if (waiters.has(check)) {
            check();
            if (waiters.has(check)) {
              cleanup();
              reject(new Error(`exited without ${pattern} on ${stream}; got:\n${output[stream]}`));
            }
          }
        });
        check();
      });
    },
  };
}

/** Runs the built CLI to completion. */
export async function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string | Uint8Array } = {},
): Promise<CliResult> {
  return (await startCli(args, options)).done;
}
