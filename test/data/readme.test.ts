/**
 * The README's table of which call raises which error class must list every class, and a
 * class it says flyte-remote never raises must not be imported by the code that raises
 * errors (the client, the decoders, the data and log rooms, the CLI).
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors/index.js";

const root = new URL("../../", import.meta.url).pathname;
const readme = readFileSync(join(root, "README.md"), "utf8");

function table(): Map<string, string> {
  const section = readme.slice(
    readme.indexOf("<!-- section:data -->"),
    readme.indexOf("<!-- /section:data -->"),
  );
  const body = section.slice(
    section.indexOf("<!-- raisers-table -->"),
    section.indexOf("<!-- /raisers-table -->"),
  );
  const rows = new Map<string, string>();
  for (const line of body.split("\n")) {
    const m = /^\|\s*`(\w+)`\s*\|\s*(.+?)\s*\|$/.exec(line.trim());
    if (m?.[1] === undefined || m[2] === undefined) continue;
    expect(rows.has(m[1]), `${m[1]} listed twice`).toBe(false);
    rows.set(m[1], m[2]);
  }
  return rows;
}

/** Every exported concrete error class. */
function classNames(): string[] {
  return Object.entries(errors)
    .filter(
      ([, value]) => typeof value === "function" && value.prototype instanceof errors.FlyteError,
    )
    .map(([name]) => name)
    .sort();
}

/** Names imported from the error model by the files that raise errors. */
function importedErrorNames(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        const text = readFileSync(path, "utf8");
        for (const m of text.matchAll(
          /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"[^"]*errors\/[^"]*"/g,
        )) {
          for (const name of (m[1] ?? "").split(","))
            out.add(name.replace(/^\s*type\s+/, "").trim());
        }
      }
    }
  };
  for (const dir of ["client", "decode", "data", "logs", "cli"]) walk(join(root, "src", dir));
  return out;
}

describe("the README's table of which call raises which error", () => {
  const rows = table();

  it("lists every error class once, and nothing else", () => {
    expect([...rows.keys()].sort()).toEqual(classNames());
  });

  it("a class said to be never raised is not imported where errors are raised; the others are", () => {
    const imported = importedErrorNames();
    for (const [name, raisedBy] of rows) {
      const never = raisedBy.startsWith("Never raised by flyte-remote");
      expect(imported.has(name), `${name}: ${raisedBy}`).toBe(!never);
    }
  });
});
