import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  CustomError,
  InvalidPackageError,
  OOMError,
  RetriesExhaustedError,
  SlowDownError,
} from "../../src/errors/index.js";

describe("util.inspect and console.log", () => {
  const last = new OOMError({ message: "attempt 3 ran out of memory", worker: "pod-3" });
  const err = new RetriesExhaustedError({
    message: "task a0 failed after 3 attempts",
    worker: "pod-3",
    attempts: 3,
    cause: last,
    details: { huge: "x".repeat(10_000) },
  });
  Object.assign(last, { cause: new TypeError("kernel said no") });

  it("shows the essentials, the hint and the cause chain, then the frames", () => {
    const lines = inspect(err).split("\n");
    expect(lines[0]).toBe(
      "RetriesExhaustedError [MaxRetriesExceeded] (user): task a0 failed after 3 attempts",
    );
    expect(lines[1]).toBe(
      "  name: RetriesExhaustedError, code: MaxRetriesExceeded, kind: user, worker: pod-3, attempts: 3, retryable: false",
    );
    expect(lines[2]).toBe(`  hint: ${err.hint}`);
    expect(lines[3]).toBe("  caused by: OOMError [OOMKilled] (user): attempt 3 ran out of memory");
    expect(lines[4]).toBe("  caused by: TypeError: kernel said no");
    expect(lines[5]).toMatch(/^\s+at .*inspect\.test\.ts/);
  });

  it("leaves the raw payload out", () => {
    expect(inspect(err)).not.toContain("xxxxxxxxxx");
  });

  it("shows class-specific fields", () => {
    expect(inspect(new SlowDownError({ retryAfterMs: 500 }))).toContain("retryAfterMs: 500");
    const pkg = new InvalidPackageError({ packageName: "libfoo", originalError: "E: gone" });
    expect(inspect(pkg)).toContain("packageName: libfoo, originalError: E: gone");
  });

  it("shows the platform's verdict when the payload gave one", () => {
    expect(inspect(new OOMError({ recoverable: false }))).toContain("recoverable: false");
    expect(inspect(new OOMError())).not.toContain("recoverable");
  });

  it("is a short tag when nested deeper than the inspect depth", () => {
    expect(inspect({ c: new OOMError() }, { depth: 0 })).toBe("{ c: [OOMError OOMKilled] }");
  });

  it("describes non-Error causes readably", () => {
    const wrapped = CustomError.fromException(42);
    expect(inspect(wrapped)).toContain("caused by: The number 42 was thrown.");
  });

  it("scrubs tokens from causes", () => {
    const leaky = new OOMError({ cause: new Error("header was Bearer abcdef123456") });
    expect(inspect(leaky)).not.toContain("abcdef123456");
  });
});
