/**
 * The README's class table is generated from the classes' real metadata, so it cannot drift.
 * Regenerate it with `UPDATE_README=1 npx vitest run test/errors/readme-table.test.ts`.
 */

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { metaOf } from "../../src/errors/brand.js";
import * as errors from "../../src/errors/index.js";
import { SDK_HEAD_CLASSES, SDK_SINCE } from "./support/sdk-versions.js";

const README = new URL("../../README.md", import.meta.url);
const START = "<!-- errors-table -->";
const END = "<!-- /errors-table -->";

/** Any concrete class; every constructor accepts these options and ignores extra ones. */
type ErrorClass = (new (
  options: Record<string, unknown>,
) => errors.FlyteError) & {
  readonly name: string;
};

/** Every exported concrete class, depth-first from the root, children alphabetically. */
function classesInTreeOrder(): ErrorClass[] {
  const all = Object.values(errors).filter(
    (value) =>
      typeof value === "function" &&
      value !== errors.FlyteError &&
      value.prototype instanceof errors.FlyteError,
  ) as unknown as ErrorClass[];
  const out: ErrorClass[] = [];
  const visit = (parent: unknown): void => {
    const children = all
      .filter((cls) => Object.getPrototypeOf(cls) === parent)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const child of children) {
      out.push(child);
      visit(child);
    }
  };
  visit(errors.FlyteError);
  return out;
}

/** The status cell: the class status, plus any code that the status rule maps elsewhere. */
function statusCell(cls: ErrorClass): string {
  const meta = metaOf(cls);
  // RuntimeDataValidationError and InvalidPackageError require fields the others ignore.
  const sample = (code: string): errors.FlyteError =>
    new cls({ var: "v", e: "e", packageName: "p", originalError: "o", code });
  const exceptions = ["UNAVAILABLE", "DEADLINE_EXCEEDED"]
    .map((code) => [code, errors.httpStatusOf(sample(code))] as const)
    .filter(([, status]) => status !== meta.status)
    .map(([code, status]) => `${status} if \`${code}\``);
  return [String(meta.status), ...exceptions].join("; ");
}

function renderTable(): string {
  const rows = classesInTreeOrder().map((cls) => {
    const meta = metaOf(cls);
    const base = Object.getPrototypeOf(cls).name as string;
    return `| \`${cls.name}\` | ${base} | ${meta.kind} | \`${meta.code}\` | ${meta.retryable ? "yes" : "no"} | ${statusCell(cls)} | ${SDK_SINCE[cls.name] ?? "?"} |`;
  });
  return [
    "| Class | Base | Kind | Default code | Retryable | HTTP status | SDK |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

describe("README class table", () => {
  it("lists every class with its real defaults", async () => {
    const readme = await readFile(README, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(readme.indexOf("<!-- section:errors -->"));
    expect(end).toBeLessThan(readme.indexOf("<!-- /section:errors -->"));
    const table = renderTable();
    if (process.env.UPDATE_README === "1") {
      await writeFile(
        README,
        `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`,
      );
      return;
    }
    expect(normalise(readme.slice(start + START.length, end))).toEqual(normalise(table));
    expect(classesInTreeOrder()).toHaveLength(42);
  });

  it("has every class of flyte-sdk HEAD's errors.py, and an SDK version for each class", () => {
    const names = classesInTreeOrder().map((cls) => cls.name);
    expect(SDK_HEAD_CLASSES).toHaveLength(37);
    for (const name of SDK_HEAD_CLASSES) expect(names).toContain(name);
    const extras = names.filter((n) => !(SDK_HEAD_CLASSES as readonly string[]).includes(n));
    expect(extras.sort()).toEqual([
      "AuthenticationError",
      "PermissionDeniedError",
      "ReferenceTaskError",
      "ResourceExhaustedError",
      "RunAbortedError",
    ]);
    expect(Object.keys(SDK_SINCE).sort()).toEqual([...names].sort());
  });
});

/** Rows of trimmed cells, so a formatter's column padding does not count as drift. */
function normalise(markdown: string): string[][] {
  return markdown
    .trim()
    .split("\n")
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim().replace(/^-{3,}$/, "---")),
    );
}
