/**
 * CPU profiles of one phase of a benchmark, for finding where its time goes. With
 * `BENCH_PROFILE=<dir>` set, {@link profilePhase} records a `.cpuprofile` of the code between
 * its start and its stop (open it in Chrome DevTools); without it, nothing is recorded and
 * the benchmark runs as usual. A whole-process `--cpu-prof` would mix the phase under study
 * with set-up and teardown.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";

/** Starts profiling when `BENCH_PROFILE` is set; the returned function stops and writes it. */
export async function profilePhase(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => {};
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  };
}
