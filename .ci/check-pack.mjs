#!/usr/bin/env node
// Checks what `npm pack` put in the tarball, the way a user meets it after `npm install`:
//   - LICENSE ships, and package.json names the license, repository, homepage, bugs and
//     keywords;
//   - a source map, if any ships, carries its sources (the TypeScript sources do not ship);
//   - every relative link in a shipped Markdown file points at a shipped file.
// publint and attw check the entry points; this checks the rest.
//
// Usage: node .ci/check-pack.mjs <package.tgz>
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";

const tarball = process.argv[2];
if (tarball === undefined) {
  console.error("usage: node .ci/check-pack.mjs <package.tgz>");
  process.exit(64);
}

const dir = mkdtempSync(join(tmpdir(), "flyte-remote-pack-"));
const problems = [];
try {
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  const root = join(dir, "package");
  const files = new Set();
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.add(relative(root, path));
    }
  };
  walk(root);

  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  if (!files.has("LICENSE")) problems.push("LICENSE is not in the tarball");
  else if (!/Apache License\s+Version 2\.0/.test(readFileSync(join(root, "LICENSE"), "utf8")))
    problems.push("LICENSE is not the Apache License 2.0");
  if (manifest.license !== "Apache-2.0") problems.push(`license is ${manifest.license}`);
  for (const field of ["repository", "homepage", "bugs", "keywords"]) {
    if (manifest[field] === undefined) problems.push(`package.json has no ${field}`);
  }

  for (const file of files) {
    if (file.endsWith(".map")) {
      const map = JSON.parse(readFileSync(join(root, file), "utf8"));
      const sources = map.sources ?? [];
      const contents = map.sourcesContent ?? [];
      if (sources.some((_, i) => typeof contents[i] !== "string"))
        problems.push(`${file} points at sources without carrying them`);
    }
    if (file.endsWith(".js")) {
      const text = readFileSync(join(root, file), "utf8");
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (url !== undefined && !url.startsWith("data:")) {
        const target = normalize(join(dirname(file), url));
        if (!files.has(target)) problems.push(`${file} names a source map that does not ship`);
      }
    }
    if (file.endsWith(".md")) {
      const text = readFileSync(join(root, file), "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, link] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^([a-z][a-z0-9+.-]*:|#)/i.test(link)) continue;
        const target = normalize(join(dirname(file), link.split("#")[0]));
        if (!files.has(target)) problems.push(`${file} links to ${link}, which does not ship`);
      }
    }
  }
  console.log(`check-pack: ${files.size} files in ${tarball}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-pack: ${problem}`);
  process.exit(1);
}
console.log("check-pack: LICENSE, metadata, source maps and Markdown links are in order");
