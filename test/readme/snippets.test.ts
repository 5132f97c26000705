import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** Every ```ts block of the README, with the line it starts on. */
function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "```ts") continue;
    const start = i + 1;
    const body: string[] = [];
    for (i = start; i < lines.length && lines[i]?.trim() !== "```"; i++) body.push(lines[i] ?? "");
    blocks.push({ line: start + 1, code: body.join("\n") });
  }
  return blocks;
}

/**
 * Compiles the snippets as users would write them: `flyte-remote` and its subpaths resolve to
 * this checkout's sources, under the project's strict compiler options.
 */
function compile(blocks: { line: number; code: string }[]): string[] {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    baseUrl: root,
    paths: {
      "flyte-remote": ["src/index.ts"],
      "flyte-remote/errors": ["src/errors/index.ts"],
      "flyte-remote/config": ["src/config/index.ts"],
      "flyte-remote/testing": ["src/testing/index.ts"],
      "flyte-remote/msw": ["src/msw/index.ts"],
    },
  };
  const files = new Map(
    blocks.map((b) => [
      join(root, "test/readme", `readme-line-${b.line}.ts`),
      `${b.code}\nexport {};\n`,
    ]),
  );
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, language, onError) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, onError)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.has(d.file.fileName))
    .map((d) => {
      const where = d.file
        ? `${d.file.fileName.replace(`${root}/`, "")}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

describe("README", () => {
  const blocks = tsBlocks(readme);
  // One program for all, plus a planted mistake that proves the checker can fail.
  const planted = {
    line: 0,
    code: 'import { createClient } from "flyte-remote";\ncreateClient({ endpont: "x" });',
  };
  let diagnostics: string[] = [];

  beforeAll(() => {
    diagnostics = compile([...blocks, planted]);
  }, 120_000);

  it("has TypeScript snippets to check", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it("every ```ts snippet compiles against the public API", () => {
    expect(diagnostics.filter((d) => !d.startsWith("test/readme/readme-line-0.ts"))).toEqual([]);
  });

  it("the checker catches a snippet that does not compile", () => {
    expect(
      diagnostics.filter((d) => d.startsWith("test/readme/readme-line-0.ts")).join("\n"),
    ).toMatch(/endpont/);
  });

  it("starts with the two commands", () => {
    const firstBlock = readme.slice(
      readme.indexOf("```sh"),
      readme.indexOf("```", readme.indexOf("```sh") + 5),
    );
    expect(firstBlock).toContain("npm install && npm start");
    expect(firstBlock).toContain("npm install && npm test");
  });
});
