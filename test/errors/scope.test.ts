import { describe, expect, it } from "vitest";
import {
  CustomError,
  OOMError,
  RuntimeSystemError,
  runInSystemScope,
  runInUserScope,
  SlowDownError,
  systemEntryPoint,
  userEntryPoint,
} from "../../src/errors/index.js";

function userCallback(phase: string): string {
  if (phase === "bad") return (null as unknown as { x: string }).x;
  return `seen ${phase}`;
}

async function userAsync(n: number): Promise<number> {
  await Promise.resolve();
  if (n < 0) throw new RangeError(`negative: ${n}`);
  return n * 2;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("userEntryPoint", () => {
  it("passes arguments, this and the return value through, and keeps the name", () => {
    const onPhase = userEntryPoint(userCallback);
    expect(onPhase("RUNNING")).toBe("seen RUNNING");
    expect(onPhase.name).toBe("userCallback");
    const obj = {
      base: 2,
      times: userEntryPoint(function (this: { base: number }, n: number) {
        return this.base * n;
      }),
    };
    expect(obj.times(5)).toBe(10);
  });

  it("turns a sync throw into a user-scoped CustomError with the original as cause", () => {
    const err = caught(() => userEntryPoint(userCallback)("bad")) as CustomError;
    expect(err).toBeInstanceOf(CustomError);
    expect(err.code).toBe("USER:TypeError");
    expect(err.kind).toBe("user");
    expect(err.retryable).toBe(false);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.rawMessage).toBe((err.cause as Error).message);
  });

  it("turns an async rejection into a user-scoped CustomError", async () => {
    await expect(userEntryPoint(userAsync)(4)).resolves.toBe(8);
    const err = await userEntryPoint(userAsync)(-1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustomError);
    expect((err as CustomError).code).toBe("USER:RangeError");
    expect((err as CustomError).rawMessage).toBe("negative: -1");
  });

  it("classifies non-Error throws", () => {
    const err = caught(() =>
      runInUserScope(() => {
        throw "token provider gave up";
      }),
    ) as CustomError;
    expect(err.code).toBe("USER:NonErrorThrown");
    expect(err.rawMessage).toBe("token provider gave up");
    expect(err.cause).toBe("token provider gave up");
  });

  it("adopts a returned thenable and classifies a hostile one", async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a non-Promise thenable is the point here.
      then: (_ok: unknown, fail: (e: unknown) => void) => fail(new SyntaxError("s")),
    };
    const err = await (userEntryPoint(() => thenable)() as unknown as Promise<never>).catch(
      (e: unknown) => e,
    );
    expect((err as CustomError).code).toBe("USER:SyntaxError");
    // biome-ignore lint/suspicious/noThenProperty: a thenable whose then getter throws.
    const hostile = Object.defineProperty({}, "then", {
      get() {
        throw new EvalError("then trap");
      },
    });
    expect((caught(() => userEntryPoint(() => hostile)()) as CustomError).code).toBe(
      "USER:EvalError",
    );
  });

  it("lets a Flyte error through unchanged, sync and async", async () => {
    const slow = new SlowDownError({ retryAfterMs: 100 });
    expect(
      caught(() =>
        userEntryPoint(() => {
          throw slow;
        })(),
      ),
    ).toBe(slow);
    await expect(
      userEntryPoint(async () => {
        throw slow;
      })(),
    ).rejects.toBe(slow);
  });

  it("trims flyte-remote's own frames from verboseMessage, so the user's code comes first", () => {
    const err = caught(() => userEntryPoint(userCallback)("bad")) as CustomError;
    const original = (err.cause as Error).stack ?? "";
    // The wrapper's frame is in the raw trace; otherwise this test would prove nothing.
    expect(original).toMatch(/src\/errors\/scope\.ts/);
    const verbose = err.verboseMessage;
    expect(verbose).not.toMatch(/src\/errors\//);
    const lines = verbose.split("\n");
    expect(lines[0]).toBe(err.message);
    expect(lines[1]).toBe(`caused by: TypeError: ${err.rawMessage}`);
    expect(lines[2]).toMatch(/at userCallback .*scope\.test\.ts/);
  });
});

describe("systemEntryPoint", () => {
  it("turns an unexpected throw into a system-scoped RuntimeSystemError", () => {
    const err = caught(() =>
      systemEntryPoint(() => {
        throw new RangeError("index out of range");
      })(),
    ) as RuntimeSystemError;
    expect(err).toBeInstanceOf(RuntimeSystemError);
    expect(err.code).toBe("SYSTEM:RangeError");
    expect(err.kind).toBe("system");
    expect(err.retryable).toBe(false);
    expect(err.rawMessage).toBe("index out of range");
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it("keeps our frames in a system error's verboseMessage: a bug report needs them", () => {
    const err = caught(() =>
      systemEntryPoint(() => {
        throw new RangeError("x");
      })(),
    ) as RuntimeSystemError;
    expect(err.verboseMessage).toMatch(/src\/errors\/scope\.ts/);
  });

  it("handles async functions", async () => {
    const err = await runInSystemScope(async () => {
      await Promise.resolve();
      throw new TypeError("late");
    }).catch((e: unknown) => e);
    expect((err as RuntimeSystemError).code).toBe("SYSTEM:TypeError");
    await expect(runInSystemScope(async (a: number, b: number) => a + b, 1, 2)).resolves.toBe(3);
  });

  it("lets a user error from an inner user scope through, still user-scoped", async () => {
    const launch = systemEntryPoint(async (onPhase: (p: string) => string) => {
      await Promise.resolve();
      return userEntryPoint(onPhase)("bad");
    });
    const err = await launch(userCallback).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustomError);
    expect((err as CustomError).code).toBe("USER:TypeError");
  });

  it("lets a Flyte error through unchanged", () => {
    const oom = new OOMError();
    expect(
      caught(() =>
        systemEntryPoint(() => {
          throw oom;
        })(),
      ),
    ).toBe(oom);
  });
});
