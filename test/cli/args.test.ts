import { describe, expect, it } from "vitest";
import { parseCommandArgs, wantsHelp } from "../../src/cli/args.js";
import { explainSpec } from "../../src/cli/commands/explain.js";
import { serveSpec } from "../../src/cli/commands/serve.js";
import { waitSpec } from "../../src/cli/commands/wait.js";
import { UsageError } from "../../src/cli/usage-error.js";

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseCommandArgs", () => {
  it("parses flags, short flags and the positional", () => {
    const parsed = parseCommandArgs(waitSpec, [
      "r1",
      "--endpoint",
      "http://x",
      "-q",
      "--timeout=5s",
    ]);
    expect(parsed.positionals).toEqual(["r1"]);
    expect(parsed.options).toMatchObject({ endpoint: "http://x", quiet: true, timeout: "5s" });
    expect(parsed.options.json).toBeUndefined();
  });

  it("names an unknown flag and suggests the one that was meant", () => {
    const message = usageMessage(() => parseCommandArgs(waitSpec, ["r1", "--tiemout", "5s"]));
    expect(message).toBe("unknown option '--tiemout' for 'wait'; did you mean --timeout?");
  });

  it("does not suggest anything for a flag far from every known one", () => {
    const message = usageMessage(() => parseCommandArgs(serveSpec, ["--xyzzy"]));
    expect(message).toBe("unknown option '--xyzzy' for 'serve'");
  });

  it("says which value is missing, with its placeholder", () => {
    expect(usageMessage(() => parseCommandArgs(waitSpec, ["r1", "--endpoint"]))).toBe(
      "option '--endpoint' needs a value: --endpoint URL",
    );
  });

  it("refuses a value on a boolean flag", () => {
    expect(usageMessage(() => parseCommandArgs(waitSpec, ["r1", "--json=yes"]))).toBe(
      "option '--json' takes no value",
    );
  });

  it("refuses a missing required positional and an extra one", () => {
    expect(usageMessage(() => parseCommandArgs(waitSpec, []))).toMatch(/^missing <run-name>/);
    expect(usageMessage(() => parseCommandArgs(waitSpec, ["a", "b"]))).toBe(
      "unexpected argument 'b': 'wait' takes at most 1 argument",
    );
    expect(usageMessage(() => parseCommandArgs(serveSpec, ["x"]))).toBe(
      "unexpected argument 'x': 'serve' takes no arguments",
    );
  });

  it("accepts an optional positional being absent", () => {
    expect(parseCommandArgs(explainSpec, []).positionals).toEqual([]);
    expect(parseCommandArgs(explainSpec, ["-"]).positionals).toEqual(["-"]);
  });
});

describe("wantsHelp", () => {
  it("finds --help or -h before --, even next to a bad flag", () => {
    expect(wantsHelp(["--bogus", "--help"])).toBe(true);
    expect(wantsHelp(["-h"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["r1"])).toBe(false);
  });
});
