/**
 * CPU pinning for the settle benchmarks: the client on one core and the server child on the
 * other, so neither borrows the other's time and each CPU figure is its own. Uses
 * util-linux's `taskset` when there is one and the machine has two cores or more; reports
 * what it did, so a figure is never read as pinned when it was not.
 */

import { execFileSync } from "node:child_process";
import { cpus } from "node:os";

/** Whether pinning is possible here. */
export function canPin(): boolean {
  if (cpus().length < 2 || process.platform !== "linux") return false;
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of `pid` to `cpu`; false when it could not. */
export function pin(pid: number, cpu: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Lets every thread of `pid` run on any core again. */
export function unpin(pid: number): void {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", `0-${cpus().length - 1}`, String(pid)], {
      stdio: "ignore",
    });
  } catch {
    // Nothing was pinned.
  }
}
