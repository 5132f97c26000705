import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as local from "../../src/errors/index.js";
import { buildErrorsCopy } from "./support/build-copy.js";
import { CASES } from "./support/cases.js";

type ErrorsModule = typeof local;

let root: string;
let copyA: ErrorsModule;
let copyB: ErrorsModule;
let urlA: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "flyte-remote-brand-"));
  urlA = await buildErrorsCopy(join(root, "a", "node_modules", "flyte-remote"));
  const urlB = await buildErrorsCopy(join(root, "b", "node_modules", "flyte-remote"));
  copyA = await import(/* @vite-ignore */ urlA);
  copyB = await import(/* @vite-ignore */ urlB);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("two copies of the built module, loaded from two paths", () => {
  it("are really two copies", () => {
    expect(copyA.OOMError).not.toBe(copyB.OOMError);
    expect(copyA.FlyteError).not.toBe(local.FlyteError);
    expect(Object.getPrototypeOf(new copyA.OOMError())).not.toBe(copyB.OOMError.prototype);
  });

  it("recognise each other's errors by brand, along the whole lineage", () => {
    const err = new copyA.TaskInterruptedError({ kind: "system" });
    expect(copyB.isFlyteError(err)).toBe(true);
    expect(local.isFlyteError(err)).toBe(true);
    expect(err instanceof copyB.TaskInterruptedError).toBe(true);
    expect(err instanceof copyB.RuntimeUserError).toBe(true);
    expect(err instanceof copyB.BaseRuntimeError).toBe(true);
    expect(err instanceof copyB.FlyteError).toBe(true);
    expect(err instanceof local.RuntimeUserError).toBe(true);
  });

  it("do not confuse classes", () => {
    const err = new copyA.AuthenticationError();
    expect(err instanceof copyB.UnionRpcError).toBe(true);
    expect(err instanceof copyB.RuntimeSystemError).toBe(true);
    expect(err instanceof copyB.PermissionDeniedError).toBe(false);
    expect(err instanceof copyB.RuntimeUserError).toBe(false);
    expect(new copyA.ActionNotFoundError() instanceof copyB.BaseRuntimeError).toBe(false);
  });

  it("narrow, serialise and revive across copies", () => {
    const err: unknown = new copyA.SlowDownError({ retryAfterMs: 900 });
    if (!copyB.isFlyteError(err) || err.name !== "SlowDownError") throw new Error("not narrowed");
    expect(err.retryAfterMs).toBe(900);
    const revived = copyB.FlyteError.fromJSON(JSON.parse(JSON.stringify(err)));
    expect(revived).toBeInstanceOf(copyB.SlowDownError);
    expect(Object.getPrototypeOf(revived)).toBe(copyB.SlowDownError.prototype);
    expect(copyB.CustomError.fromException(err)).toBe(err);
    expect(local.httpStatusOf(err)).toBe(429);
  });

  it.each(CASES.map((c) => c.name))("carry the brand of %s, its family and its name", (name) => {
    type Ctor = new (options: Record<string, unknown>) => local.FlyteError;
    const options = { var: "v", e: "e", packageName: "p", originalError: "o" };
    const err = new (copyA as unknown as Record<string, Ctor>)[name]!(options);
    const other = (copyB as unknown as Record<string, Ctor>)[name]!;
    expect(err instanceof other).toBe(true);
    expect(copyB.isFlyteError(err)).toBe(true);
    expect(err.name).toBe(name);
    expect(copyB.FlyteError.fromJSON(JSON.parse(JSON.stringify(err)))).toBeInstanceOf(other);
  });

  it("keep user subclasses working with ordinary instanceof", () => {
    class MyError extends copyA.RuntimeUserError {}
    const mine = new MyError({ message: "mine" });
    expect(mine instanceof MyError).toBe(true);
    expect(new copyA.RuntimeUserError() instanceof MyError).toBe(false);
    expect(copyB.isFlyteError(mine)).toBe(true);
    expect(mine instanceof copyB.RuntimeUserError).toBe(true);
  });
});

describe("look-alikes", () => {
  const lookalikes: Record<string, unknown> = {
    "a plain object with name and code": {
      name: "OOMError",
      code: "OOMKilled",
      kind: "user",
      retryable: false,
      message: "OOMError [OOMKilled] (user): m",
    },
    "an Error with name and code": Object.assign(new Error("m"), {
      name: "OOMError",
      code: "OOMKilled",
    }),
    "a non-registry symbol brand": Object.assign(new Error("m"), {
      [Symbol("flyte-remote.error")]: ["OOMError", "RuntimeUserError", "FlyteError"],
    }),
    "a string-keyed brand": Object.assign(new Error("m"), {
      "flyte-remote.error": ["OOMError", "RuntimeUserError", "FlyteError"],
    }),
    "an own (not inherited) brand": {
      [Symbol.for("flyte-remote.error")]: ["OOMError", "FlyteError"],
    },
    "a class prototype": local.OOMError.prototype,
    "the parsed JSON of an error, not revived": JSON.parse(JSON.stringify(new local.OOMError())),
    "a hostile proxy": new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    ),
  };

  it.each(Object.entries(lookalikes))("rejects %s", (_label, value) => {
    expect(local.isFlyteError(value)).toBe(false);
    expect(copyA.isFlyteError(value)).toBe(false);
    expect(value instanceof copyA.OOMError).toBe(false);
    expect(value instanceof copyB.FlyteError).toBe(false);
  });
});

describe("a node:vm realm", () => {
  it("shares the brand with the main realm, both ways, and rejects look-alikes made there", async () => {
    const script = fileURLToPath(new URL("./support/vm-realm.mjs", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--no-warnings", "--experimental-vm-modules", script, urlA],
      { timeout: 20_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      realmsDiffer: true,
      classesDiffer: true,
      hostIsFlyteError: true,
      hostInstanceofOom: true,
      hostInstanceofUser: true,
      hostInstanceofBase: true,
      hostInstanceofRoot: true,
      hostInstanceofSystem: false,
      hostInstanceofCustom: false,
      guestIsFlyteError: true,
      guestInstanceofRpc: true,
      guestInstanceofOom: false,
      lookalikeRejected: true,
      fakeBrandRejected: true,
      fromExceptionKeeps: true,
      foreignErrorCode: "TypeError",
      revivedClass: true,
      inspectFirstLine: "OOMError [OOMKilled] (user): guest ran out of memory",
      problemStatus: 422,
    });
  });
});
