/**
 * The architecture the package promises, checked on the real import graph: data flows one
 * way (wire → decode → errors; client uses decode; testing uses only the generated code),
 * no file sits in an import circle, and the universal entry points reach no Node module.
 */

import { describe, expect, it } from "vitest";
import { circles, importGraph, reachable } from "./import-graph.js";

const graph = importGraph();

/** The files under `dir/` that import a file under one of `forbidden/`. */
function crossings(dir: string, allowed: readonly string[]): string[] {
  const out: string[] = [];
  for (const [file, { local }] of graph.files) {
    if (!file.startsWith(`${dir}/`)) continue;
    for (const target of local) {
      if (!allowed.some((a) => target.startsWith(`${a}/`))) out.push(`${file} → ${target}`);
    }
  }
  return out;
}

describe("the import graph of src/", () => {
  it("has no import circle", () => {
    expect(circles(graph)).toEqual([]);
  });

  it("errors/ imports nothing else of the package, and no package at all", () => {
    expect(crossings("errors", ["errors"])).toEqual([]);
    const packages = [...graph.files]
      .filter(([file]) => file.startsWith("errors/"))
      .flatMap(([file, { packages }]) => packages.map((p) => `${file} → ${p}`));
    expect(packages).toEqual([]);
  });

  it("decode/ reads the wire into errors/ and knows no client, transport or test server", () => {
    expect(crossings("decode", ["decode", "errors", "gen"])).toEqual([]);
  });

  it("testing/ uses only the generated code", () => {
    expect(crossings("testing", ["testing", "gen"])).toEqual([]);
  });

  it("data/ and logs/ turn the wire's values and logs into plain ones, and know no client", () => {
    expect(crossings("data", ["data", "decode", "errors", "gen"])).toEqual([]);
    expect(crossings("logs", ["logs", "decode", "errors", "gen"])).toEqual([]);
  });

  it("client/ reaches transports only through their interface", () => {
    const direct = crossings("client", [
      "client",
      "data",
      "decode",
      "errors",
      "gen",
      "logs",
      "transport",
    ]);
    expect(direct).toEqual([]);
    const runtimeSpecific = [...graph.files]
      .filter(([file]) => file.startsWith("client/"))
      .flatMap(([file, { local }]) =>
        local
          .filter((t) => t.startsWith("transport/node/") || t.startsWith("transport/fetch/"))
          .map((t) => `${file} → ${t}`),
      );
    expect(runtimeSpecific).toEqual([]);
  });

  it.each(["index.ts", "errors/index.ts"])(
    "%s, a universal entry, reaches no node: module and no Node-only file",
    (entry) => {
      const files = reachable(graph, entry);
      const nodeImports = [...files].flatMap((file) =>
        (graph.files.get(file)?.packages ?? [])
          .filter((p) => p.startsWith("node:") || p.includes("connect-node"))
          .map((p) => `${file} → ${p}`),
      );
      expect(nodeImports).toEqual([]);
      expect([...files].filter((f) => f.startsWith("transport/node/"))).toEqual([]);
    },
  );
});
