/**
 * Small helpers every auth suite uses: the error a promise rejects with, and everything the
 * code under test writes to the console (which must hold no secret).
 */

import { vi } from "vitest";

/** The rejection of `promise`; fails when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Collects console output into `into` instead of printing it; undo with vi.restoreAllMocks. */
export function captureConsole(into: string[]): void {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      into.push(args.map(String).join(" "));
    });
  }
}
