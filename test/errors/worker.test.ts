import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlyteError, type FlyteErrorJSON } from "../../src/errors/index.js";
import { buildErrorsCopy } from "./support/build-copy.js";
import { CASES, fullOptions } from "./support/cases.js";

let root: string;
let worker: Worker;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "flyte-remote-worker-"));
  const indexUrl = await buildErrorsCopy(root);
  worker = new Worker(new URL("./support/echo-worker.mjs", import.meta.url), {
    workerData: { indexUrl },
  });
});

afterAll(async () => {
  await worker.terminate();
  await rm(root, { recursive: true, force: true });
});

/** Posts one error's JSON to the worker, which revives it with its own copy and posts back. */
function echo(json: FlyteErrorJSON): Promise<{ className: string; json: FlyteErrorJSON }> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage(json);
  });
}

describe("worker_threads postMessage", () => {
  it.each(CASES)("carries $name there and back with class, kind, code and fields", async (c) => {
    const original = c.make({ ...fullOptions(), kind: "system", code: "C-1" });
    const reply = await echo(original.toJSON());
    // The worker revived the same class with its own copy of the module.
    expect(reply.className).toBe(c.name);
    expect(reply.json).toEqual(original.toJSON());
    const back = FlyteError.fromJSON(reply.json);
    expect(back).toBeInstanceOf(c.cls);
    expect([back.kind, back.code, back.worker, back.attempts]).toEqual([
      "system",
      "C-1",
      "pod-abc",
      3,
    ]);
    expect(back.details.bytes).toEqual(new Uint8Array([0, 1, 2, 253, 254, 255]));
    for (const [key, value] of Object.entries(c.own ?? {})) {
      expect((back as unknown as Record<string, unknown>)[key]).toBe(value);
    }
  });
});
