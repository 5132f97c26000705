#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional packages this machine's
// npm registry does not serve (it answers 404 for e.g. @biomejs/cli-darwin-arm64), which
// `npm install` therefore leaves out of the lock. `npm ci` refuses such a lock ("Missing: ...
// from lock file"), although those packages could never install here anyway.
//
// Each added entry carries what a full registry would record apart from the tarball hash:
// the exact version the parent pins, and os/cpu/libc, which rule the package out on this
// platform so npm never fetches it. Nothing that does install is touched, so `npm ci` still
// verifies every real package against the lock.
//
// Usage: node .ci/lock-platform-stubs.cjs [--check] [path/to/package-lock.json]
//   --check  only report; exit 1 when entries are missing.
"use strict";
const fs = require("node:fs");

const args = process.argv.slice(2);
const check = args.includes("--check");
const path = args.find((a) => !a.startsWith("--")) ?? "package-lock.json";

const OSES = new Set([
  "aix",
  "android",
  "darwin",
  "freebsd",
  "linux",
  "netbsd",
  "openbsd",
  "openharmony",
  "sunos",
  "win32",
]);
const CPUS = {
  arm64: "arm64",
  aarch64: "arm64",
  x64: "x64",
  ia32: "ia32",
  arm: "arm",
  armv7: "arm",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
};

/** os/cpu/libc from a platform package's name, e.g. @rollup/rollup-linux-arm64-musl. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const i = parts.findIndex((p) => OSES.has(p));
  const cpu = i >= 0 ? CPUS[parts[i + 1]] : undefined;
  if (!cpu) return undefined;
  const os = parts[i];
  const abi = parts.slice(i + 2).join("-");
  const out = { os: [os], cpu: [cpu] };
  if (os === "linux") out.libc = [abi.includes("musl") ? "musl" : "glibc"];
  return out;
}

const lock = JSON.parse(fs.readFileSync(path, "utf8"));
const packages = lock.packages ?? {};
const added = [];
for (const entry of Object.values(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key]) continue;
    const platform = platformOf(dep);
    // Only exact-pinned platform binaries qualify; anything else is a real lock problem.
    if (!platform || !/^\d+\.\d+\.\d+$/.test(version)) continue;
    packages[key] = { version, ...platform, ...(entry.dev ? { dev: true } : {}), optional: true };
    added.push(`${dep}@${version}`);
  }
}

if (added.length === 0) {
  console.log("lock-platform-stubs: package-lock.json is complete");
  process.exit(0);
}
if (check) {
  console.log(
    `lock-platform-stubs: ${added.length} platform packages missing: ${added.join(", ")}`,
  );
  process.exit(1);
}
const byPath = ([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0);
lock.packages = Object.fromEntries(Object.entries(packages).sort(byPath));
fs.writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platform-stubs: added ${added.length} entries: ${added.join(", ")}`);
