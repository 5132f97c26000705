import { describe, expect, it } from "vitest";
import { DatasetRef, DirectoryRef, FileRef, OffloadedRef } from "../../src/data/index.js";
import {
  isFlyteError,
  OOMError,
  RunAbortedError,
  RuntimeDataValidationError,
  RuntimeUserError,
  TaskTimeoutError,
} from "../../src/errors/index.js";
import {
  FAULTS,
  outcomeCatalogue,
  outputsUri,
  sampleBucket,
  sampleOutputs,
} from "../../src/testing/index.js";
import { runName, settle, TRANSPORTS, withClient } from "../client/helpers.js";

const succeeding = outcomeCatalogue.filter((o) => o.success).map((o) => o.name);

/** What a client reads from the sample outputs of run `name`, o0 to o14. */
function expectedOutputs(name: string) {
  const at = `${sampleBucket}/flytesnacks/development/${name}/a0`;
  return {
    o0: 42,
    o1: 0.875,
    o2: "model-v3",
    o3: new Date("2024-05-01T10:00:00Z"),
    o4: { durationMs: 90_500 },
    o5: [1, 2, 3],
    o6: { precision: 0.9, recall: 0.8 },
    o7: { name: "resnet", layers: 50, lr: 0.001, tags: ["vision", "baseline"] },
    o8: new FileRef(`${at}/model.pt`, "pt"),
    o9: new DirectoryRef(`${at}/checkpoints`, ""),
    o10: new DatasetRef(`${at}/table.parquet`, "parquet", [
      { name: "x", type: "float" },
      { name: "label", type: "str" },
    ]),
    o11: "fast",
    o12: null,
    o13: true,
    o14: { source: "flyte-remote test server", version: 1 },
  };
}

describe("outputs() of every succeeding scenario", () => {
  // Each succeeding outcome alone and behind every fault the client survives: outputs()
  // waits, reads and converts. (A half-open connection takes the keepalive's time to find.)
  const scenarios = [
    ...succeeding,
    ...FAULTS.filter((f) => f !== "half-open").map((f) => `${f}+succeed`),
  ];

  it.each([TRANSPORTS[0], TRANSPORTS[3]])("gives plain values over $label", async (transport) => {
    await withClient(
      transport,
      async (client) => {
        const results = await Promise.all(
          scenarios.map(async (scenario) => {
            const name = runName(scenario.replace(/\+.*/, ""));
            const run = await client.createRun({ task: { name: scenario }, name });
            return { scenario, name, out: await run.outputs() };
          }),
        );
        for (const { scenario, name, out } of results) {
          expect(out, scenario).toEqual(expectedOutputs(name));
          expect(Object.keys(out), scenario).toEqual(sampleOutputs.map((o) => o.name));
        }
      },
      { server: { faultGraceMs: 2_000 }, client: { retry: { baseMs: 10, maxMs: 50 } } },
    );
  });
});

describe("outputs() on the failure paths", () => {
  const transport = TRANSPORTS[0];

  it("a failed run rethrows the run's typed error, as wait() does", async () => {
    await withClient(transport, async (client) => {
      const cases = [
        ["oom", OOMError],
        ["timeout", TaskTimeoutError],
        ["aborted", RunAbortedError],
      ] as const;
      for (const [scenario, cls] of cases) {
        const run = await client.createRun({ task: { name: scenario }, name: runName(scenario) });
        const waited = await settle(run.wait());
        const out = await settle(run.outputs());
        expect(out.ok, scenario).toBe(false);
        if (out.ok || waited.ok) continue;
        expect(out.error, scenario).toBeInstanceOf(cls);
        const error = out.error as InstanceType<typeof cls>;
        const expected = waited.error as InstanceType<typeof cls>;
        expect(error.kind).toBe(expected.kind);
        expect(error.code).toBe(expected.code);
        expect(error.message).toBe(expected.message);
      }
    });
  });

  it("a run still going is waited for; { wait: false } rejects at once, clearly", async () => {
    await withClient(transport, async (client, server) => {
      const name = runName("held");
      server.runs.create({ name, scenario: "succeed", hold: true });
      await server.runs.whenHeld([name]);
      const run = client.getRun(name);
      const early = await settle(run.outputs({ wait: false }));
      expect(early.ok).toBe(false);
      if (early.ok) return;
      expect(early.error).toBeInstanceOf(RuntimeUserError);
      const error = early.error as RuntimeUserError;
      expect(error.kind).toBe("user");
      expect(error.code).toBe("OutputsNotYetAvailable");
      expect(error.retryable).toBe(true);
      expect(error.rawMessage).toBe(
        `run ${name} is RUNNING: it has no outputs until it succeeds; call outputs() without { wait: false } to wait for them`,
      );
      const waiting = run.outputs();
      server.runs.release([name]);
      expect((await waiting).o0).toBe(42);
    });
  });

  it("an output that cannot be converted gives RuntimeDataValidationError in the SDK's words", async () => {
    await withClient(transport, async (client) => {
      const scenario = "unconvertible-output+succeed";
      const run = await client.createRun({ task: { name: scenario }, name: runName("pickle") });
      const out = await settle(run.outputs());
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.error).toBeInstanceOf(RuntimeDataValidationError);
      const error = out.error as RuntimeDataValidationError;
      expect(error.kind).toBe("user");
      expect(error.code).toBe("DataValidationError");
      expect(error.var).toBe("o7");
      expect(error.taskName).toBe(scenario);
      expect(error.rawMessage).toBe(
        `In task ${scenario} variable o7, failed to serialize/deserialize because of it is a pickled Python object (a Binary literal without a tag, 19 bytes), which only Python can read`,
      );
      // Nothing is lost: the literal the server sent is in the details, bytes as base64.
      expect(error.details.direction).toBe("output");
      expect(error.details.literal).toMatchObject({
        scalar: { binary: { value: "gAWVKgAAAACMCF9fbWFpbl9flA==" } },
      });
    });
  });

  it("an offloaded output is a reference under GetActionDataURIs' outputs location", async () => {
    await withClient(transport, async (client) => {
      const name = runName("offload");
      const run = await client.createRun({ task: { name: "offloaded-outputs+succeed" }, name });
      const out = await run.outputs();
      const uris = await run.dataUris();
      expect(uris.outputsUri).toBe(
        outputsUri({ project: "flytesnacks", domain: "development", name } as never, 1),
      );
      expect(out.o5).toBeInstanceOf(OffloadedRef);
      const ref = out.o5 as OffloadedRef;
      expect(ref.uri.startsWith(uris.outputsUri.replace(/outputs\.pb$/, ""))).toBe(true);
      expect(ref.sizeBytes).toBe(12n * 1024n * 1024n);
      expect(ref.type).toBe("list[int]");
      expect(JSON.parse(JSON.stringify(ref))).toEqual({
        kind: "offloaded",
        uri: ref.uri,
        sizeBytes: "12582912",
        type: "list[int]",
      });
      expect(out.o0).toBe(42);
    });
  });

  it("a run that does not exist rejects with ActionNotFoundError", async () => {
    await withClient(transport, async (client) => {
      const out = await settle(client.getRun("no-such-run").outputs());
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(isFlyteError(out.error) && out.error.name).toBe("ActionNotFoundError");
    });
  });
});
