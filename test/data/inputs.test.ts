import { createClient as createRpcClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  DatasetRef,
  duration,
  FileRef,
  float,
  taskInterface,
  types,
} from "../../src/data/index.js";
import { isRequestTooLarge } from "../../src/decode/request-too-large.js";
import {
  ActionNotFoundError,
  InlineIOMaxBytesBreached,
  RuntimeDataValidationError,
  SlowDownError,
} from "../../src/errors/index.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { runName, settle, TRANSPORTS, withClient } from "../client/helpers.js";
import { nodeTransport } from "../support/transports.js";

const grpc = TRANSPORTS[0];

/** The literal kinds the server received, read back with a plain generated client. */
async function receivedKinds(
  url: string,
  name: string,
): Promise<Record<string, string | undefined>> {
  const bare = nodeTransport(url, { protocol: "grpc" });
  const rpc = createRpcClient(RunService, bare.transport);
  const reply = await rpc
    .getActionData({
      actionId: { run: { project: "flytesnacks", domain: "development", name }, name: "a0" },
    })
    .finally(() => bare.close());
  const kinds: Record<string, string | undefined> = {};
  for (const { name: key, value } of reply.inputs?.literals ?? []) {
    const v = value?.value;
    kinds[key] =
      v?.case === "scalar"
        ? v.value.value.case === "primitive"
          ? v.value.value.value.value.case
          : v.value.value.case
        : v?.case;
  }
  return kinds;
}

describe("createRun({ inputs }) and run.inputs()", () => {
  it("sends every kind of value and reads the same values back", async () => {
    await withClient(grpc, async (client) => {
      const inputs = {
        n: 3,
        big: 2n ** 60n,
        ratio: float(2),
        label: "run ✓",
        ok: false,
        at: new Date("2024-02-29T12:34:56.789Z"),
        took: duration(1_500.25),
        none: null,
        tags: ["a", "b"],
        nested: { depth: [1, { deeper: true }] },
        model: new FileRef("s3://bucket/model.pt", "pt"),
        table: new DatasetRef("s3://bucket/t.parquet", "parquet"),
      };
      const run = await client.createRun({
        task: { name: "succeed" },
        name: runName("in"),
        inputs,
      });
      const back = await run.inputs();
      expect(back).toEqual({
        ...inputs,
        ratio: 2,
        // A dataset written without column types reads back with empty ones.
        table: new DatasetRef("s3://bucket/t.parquet", "parquet", []),
      });
      expect(typeof back.big).toBe("bigint");
    });
  });

  it('"fetch" checks against the registered interface and fills defaults and None', async () => {
    await withClient(grpc, async (client, server) => {
      const name = runName("fetch");
      const run = await client.createRun({
        task: { name: "succeed" },
        name,
        inputs: { n: 7 },
        interface: "fetch",
      });
      expect(await run.inputs()).toEqual({ n: 7, scale: 1, label: null });
      // In the interface's order, the default as registered (a float), None as a union.
      expect(await receivedKinds(server.url, name)).toEqual({
        n: "integer",
        scale: "floatValue",
        label: "union",
      });
    });
  });

  it("a given interface decides the literal: a whole number for a float input is a float", async () => {
    await withClient(grpc, async (client, server) => {
      const name = runName("given");
      const iface = taskInterface({
        inputs: { x: types.float, when: types.optional(types.datetime), cfg: types.struct("Cfg") },
      });
      await client.createRun({
        task: { name: "succeed" },
        name,
        inputs: { x: 2, when: new Date(0), cfg: { lr: 0.1 } },
        interface: iface,
      });
      expect(await receivedKinds(server.url, name)).toEqual({
        x: "floatValue",
        when: "union",
        cfg: "binary",
      });
    });
  });

  it("a value of the wrong type fails before the RPC, naming the input", async () => {
    await withClient(grpc, async (client, server) => {
      const cases = [
        [{ n: "three" }, "n", 'expected int, got string "three"'],
        [{ n: 1, scale: "big" }, "scale", 'expected float, got string "big"'],
        [
          { n: 1, extra: 1 },
          "extra",
          'the task has no input named "extra"; its inputs are n, scale, label',
        ],
        [{ scale: 2 }, "n", "the input is required and has no default, but no value was given"],
        [{ n: 1.5 }, "n", "expected int, got number 1.5"],
        [
          { n: 1, label: 5 },
          "label",
          "number 5 fits no variant of Optional[str] (expected str, got number 5; expected None, got number 5)",
        ],
      ] as const;
      for (const [inputs, variable, reason] of cases) {
        const name = runName("bad");
        const created = await settle(
          client.createRun({ task: { name: "succeed" }, name, inputs, interface: "fetch" }),
        );
        expect(created.ok).toBe(false);
        if (created.ok) continue;
        expect(created.error).toBeInstanceOf(RuntimeDataValidationError);
        const error = created.error as RuntimeDataValidationError;
        expect(error.kind).toBe("user");
        expect(error.code).toBe("DataValidationError");
        expect(error.retryable).toBe(false);
        expect(error.var).toBe(variable);
        expect(error.rawMessage).toBe(
          `In task succeed variable ${variable}, failed to serialize/deserialize because of ${reason}`,
        );
        expect(server.runs.get(name), "no run was created").toBeUndefined();
      }
    });
  });

  it("without an interface, a value with no literal form still fails before the RPC", async () => {
    await withClient(grpc, async (client, server) => {
      const name = runName("nolit");
      const created = await settle(
        client.createRun({
          task: { name: "succeed" },
          name,
          inputs: { when: new Date(Number.NaN) },
        }),
      );
      expect(created.ok).toBe(false);
      if (created.ok) return;
      const error = created.error as RuntimeDataValidationError;
      expect(error).toBeInstanceOf(RuntimeDataValidationError);
      expect(error.kind).toBe("user");
      expect(error.rawMessage).toBe(
        "In task succeed variable when, failed to serialize/deserialize because of the Date is invalid",
      );
      expect(server.runs.get(name)).toBeUndefined();
    });
  });

  it('"fetch" for a task that does not exist rejects with the lookup\'s error', async () => {
    await withClient(grpc, async (client) => {
      const created = await settle(
        client.createRun({ task: { name: "no-such-task" }, inputs: { n: 1 }, interface: "fetch" }),
      );
      expect(created.ok).toBe(false);
      if (created.ok) return;
      expect(created.error).toBeInstanceOf(ActionNotFoundError);
      expect((created.error as ActionNotFoundError).kind).toBe("user");
      expect((created.error as ActionNotFoundError).rawMessage).toContain(
        "task no-such-task not found",
      );
    });
  });
});

describe("the inline limit", () => {
  it("inputs over the limit fail before the RPC with InlineIOMaxBytesBreached in the SDK's words", async () => {
    await withClient(grpc, async (client, server) => {
      const name = runName("big");
      const created = await settle(
        client.createRun({
          task: { name: "succeed" },
          name,
          inputs: { blob: "x".repeat(3 * 1024 * 1024) },
          maxInlineInputBytes: 2 * 1024 * 1024,
        }),
      );
      expect(created.ok).toBe(false);
      if (created.ok) return;
      expect(created.error).toBeInstanceOf(InlineIOMaxBytesBreached);
      const error = created.error as InlineIOMaxBytesBreached;
      expect(error.kind).toBe("user");
      expect(error.code).toBe("InlineIOMaxBytesBreached");
      expect(error.retryable).toBe(false);
      expect(error.rawMessage).toMatch(
        /^Inputs exceed max_bytes limit of 2\.0 MB, actual size: 3\.0000\d+ MB$/,
      );
      expect(server.runs.get(name)).toBeUndefined();
    });
  });

  it("the server's own refusal is InlineIOMaxBytesBreached too, and is not retried", async () => {
    await withClient(
      grpc,
      async (client, server) => {
        const name = runName("srvbig");
        const before = server.stats().totalStreams;
        const created = await settle(
          client.createRun({
            task: { name: "succeed" },
            name,
            // Under HTTP/2's initial 64 KiB stream window: past it, the Node transport keeps
            // waiting to send the rest of a body that the server has stopped reading.
            inputs: { blob: "y".repeat(40 * 1024) },
          }),
        );
        expect(created.ok).toBe(false);
        if (created.ok) return;
        expect(created.error).toBeInstanceOf(InlineIOMaxBytesBreached);
        const error = created.error as InlineIOMaxBytesBreached;
        expect(error.kind).toBe("user");
        expect(error.code).toBe("InlineIOMaxBytesBreached");
        expect(error.retryable).toBe(false);
        expect(error.rawMessage).toMatch(
          /^the server refused the run's inputs as too large: message size \d+ is larger than configured readMaxBytes 16384$/,
        );
        expect(error.cause).toBeInstanceOf(SlowDownError);
        // A named CreateRun is retried on RESOURCE_EXHAUSTED; this one went out once.
        expect(server.stats().totalStreams - before).toBe(1);
      },
      { server: { readMaxBytes: 16 * 1024 } },
    );
  });

  it("recognises the refusals of grpc-go, connect-go and connect-es, and not throttling", () => {
    expect(isRequestTooLarge("grpc: received message larger than max (5000000 vs. 4194304)")).toBe(
      true,
    );
    expect(isRequestTooLarge("message size 5000000 is larger than configured max 4194304")).toBe(
      true,
    );
    expect(isRequestTooLarge("message size is larger than configured readMaxBytes 32768")).toBe(
      true,
    );
    expect(isRequestTooLarge("too many requests, slow down")).toBe(false);
    expect(isRequestTooLarge("quota exceeded: larger than usual load")).toBe(false);
  });
});
