/**
 * The one check every auth suite makes: none of the credentials in play appears anywhere an
 * error travels (message, stack, JSON, problem details, inspect output, the cause chain), nor
 * in what the code under test logged.
 */

import { inspect } from "node:util";
import { expect } from "vitest";
import { isFlyteError } from "../../../src/errors/index.js";

/** Every rendering of an error that could reach a log, a queue or a browser. */
export function renderings(error: unknown): string[] {
  const out = [String(error), inspect(error, { depth: 10 })];
  if (error instanceof Error) out.push(error.message, error.stack ?? "");
  if (isFlyteError(error)) {
    out.push(
      JSON.stringify(error),
      JSON.stringify(error.toJSON({ stack: true })),
      JSON.stringify(error.toProblemDetails()),
      error.verboseMessage,
    );
  }
  return out;
}

/** Fails when any secret (at least 6 characters) occurs in any of the texts. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  const real = secrets.filter((s) => s.length >= 6);
  expect(real.length).toBeGreaterThan(0);
  for (const text of texts) {
    for (const secret of real) {
      if (text.includes(secret)) {
        throw new Error(`a secret leaked (${secret.slice(0, 4)}…) into: ${text.slice(0, 300)}`);
      }
    }
  }
}

/** {@link expectNoSecrets} over every rendering of an error. */
export function expectErrorKeepsSecrets(error: unknown, secrets: readonly string[]): void {
  expectNoSecrets(renderings(error), secrets);
}
