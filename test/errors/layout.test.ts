/**
 * The error model stays readable: one family per file, each short enough to read top to
 * bottom. (That src/errors/ has no import circle and imports nothing else of the package is
 * checked on the real import graph by test/architecture/layers.test.ts.)
 */

import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const DIR = new URL("../../src/errors/", import.meta.url);

describe("src/errors layout", () => {
  it("keeps every file under about 500 lines, failure.ts included", async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith(".ts"));
    expect(files).toContain("failure.ts");
    for (const file of files) {
      const lines = (await readFile(new URL(file, DIR), "utf8")).split("\n").length;
      expect({ file, lines }).toSatisfy(() => lines <= 520);
    }
  });
});
