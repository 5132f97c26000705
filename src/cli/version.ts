/**
 * The package version for `--version`, read from the package.json that ships next to
 * `dist/` (and next to `src/` in a checkout), so it never drifts from the release.
 *
 * @module
 */

import { readFileSync } from "node:fs";

/** The version in package.json, or `unknown` if it cannot be read. */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown | undefined }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}
