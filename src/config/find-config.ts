/**
 * Which config file to read: the same places, in the same order, as the Python `flyte` CLI.
 *
 * @module
 */

import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { InitializationError } from "../errors/index.js";

/** Where to look, and on whose behalf. */
export interface FindConfigOptions {
  /** An explicit file (`--config`); it must exist. */
  path?: string | undefined;
  /** The working directory; default `process.cwd()`. */
  cwd?: string | undefined;
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The home directory; default `os.homedir()`. */
  home?: string | undefined;
}

/** A file found, and why it was picked. */
export interface FoundConfig {
  readonly path: string;
  /** For example `--config`, `./config.yaml`, `UCTL_CONFIG`. */
  readonly from: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The nearest directory at or above `start` that holds `.git` (a directory or a file). */
async function gitRoot(start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    try {
      await stat(join(dir, ".git"));
      return dir;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

function missing(path: string, from: string): InitializationError {
  return new InitializationError({
    code: "ConfigNotFound",
    message: `the config file ${path} (from ${from}) does not exist or is not a file`,
    hint: `Fix the path in ${from}, or remove it to use the default search.`,
  });
}

/**
 * The config file to read, searched in this order: the explicit path, `./config.yaml`,
 * `./.flyte/config.yaml`, the git root's `.flyte/config.yaml`, `$UCTL_CONFIG`,
 * `$FLYTECTL_CONFIG`, `~/.union/config.yaml`, `~/.flyte/config.yaml`. `undefined` when there
 * is none. A path named explicitly or by an environment variable must exist.
 */
export async function findConfigFile(
  options: FindConfigOptions = {},
): Promise<FoundConfig | undefined> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (options.path !== undefined && options.path !== "") {
    const path = resolve(cwd, options.path);
    if (!(await isFile(path))) throw missing(path, "--config");
    return { path, from: "--config" };
  }
  const candidates: FoundConfig[] = [
    { path: join(cwd, "config.yaml"), from: "./config.yaml" },
    { path: join(cwd, ".flyte", "config.yaml"), from: "./.flyte/config.yaml" },
  ];
  const root = await gitRoot(cwd);
  if (root !== undefined) {
    candidates.push({ path: join(root, ".flyte", "config.yaml"), from: "the git root" });
  }
  for (const candidate of candidates) {
    if (await isFile(candidate.path)) return candidate;
  }
  for (const name of ["UCTL_CONFIG", "FLYTECTL_CONFIG"]) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    const path = resolve(cwd, value);
    if (!(await isFile(path))) throw missing(path, name);
    return { path, from: name };
  }
  for (const candidate of [
    { path: join(home, ".union", "config.yaml"), from: "~/.union/config.yaml" },
    { path: join(home, ".flyte", "config.yaml"), from: "~/.flyte/config.yaml" },
  ]) {
    if (await isFile(candidate.path)) return candidate;
  }
  return undefined;
}
