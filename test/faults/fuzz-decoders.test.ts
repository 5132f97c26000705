/**
 * Fuzz at scale: 100,000 mutations of real encodings through each decoder. Whatever the
 * bytes, a decoder returns a FlyteError (or `undefined` where the payload says nothing
 * failed) and never throws; and what it returns can be serialised.
 *
 * The corpus is what the test server really sends (every outcome's states, from start to
 * end) plus ExecutionErrors, ErrorDocuments and google.rpc details shaped like the
 * backend's. Seeded: a failure prints the seed and the input's bytes.
 */

import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  decodeActionDetails,
  decodeErrorDocument,
  decodeExecutionError,
  decodeRpcError,
} from "../../src/decode/index.js";
import { isFlyteError } from "../../src/errors/index.js";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import { ActionDetailsSchema } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  LocalizedMessageSchema,
  RetryInfoSchema,
} from "../../src/gen/google/rpc/error_details_pb.js";
import { createRunStore, failureText } from "../../src/testing/index.js";
import { TERMINAL_OUTCOMES } from "./expectations.js";
import { mutate } from "./mutate.js";
import { type Rng, seededRng, suiteSeed } from "./rng.js";

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);
const SEED = suiteSeed(0xf022_0001);

/** Every state every outcome goes through, encoded, as the test server sends them. */
async function actionDetailsCorpus(): Promise<Uint8Array[]> {
  const store = createRunStore({ speed: 1_000_000 });
  const corpus: Uint8Array[] = [];
  try {
    await Promise.all(
      TERMINAL_OUTCOMES.map(
        (outcome) =>
          new Promise<void>((resolve) => {
            const name = `fz-${outcome.name}`.slice(0, 30);
            const off = store.on("terminal", (e) => {
              if (e.name !== name) return;
              off();
              resolve();
            });
            store.create({ name, scenario: outcome.name });
          }),
      ),
    );
    for (const outcome of TERMINAL_OUTCOMES) {
      const details = store.get(`fz-${outcome.name}`.slice(0, 30));
      if (details !== undefined) corpus.push(toBinary(ActionDetailsSchema, details));
    }
  } finally {
    store.dispose();
  }
  return corpus;
}

const OOM_TEXT =
  failureText.podFailedNoMessage + failureText.containerTerminated("p-a0-2", 137, "OOMKilled", "");

function executionErrorCorpus(): Uint8Array[] {
  const at = timestampFromMs(1_700_000_000_000);
  return [
    { code: "OOMKilled", message: OOM_TEXT, kind: ExecutionError_ErrorKind.USER },
    { code: "USER:ValueError|ValueError", message: "bad row", kind: ExecutionError_ErrorKind.USER },
    { code: "Interrupted", message: "node drained", kind: ExecutionError_ErrorKind.SYSTEM },
    { code: "", message: "", kind: ExecutionError_ErrorKind.UNKNOWN },
    {
      code: "ImagePullBackOff",
      message: failureText.gracePeriodExceeded("3m0s", "Back-off pulling image"),
      kind: ExecutionError_ErrorKind.USER,
    },
  ].map((e) =>
    toBinary(
      ExecutionErrorSchema,
      create(ExecutionErrorSchema, {
        ...e,
        errorUri: "s3://bucket/metadata/error.pb",
        timestamp: at,
        worker: "pod-1",
      }),
    ),
  );
}

function errorDocumentCorpus(): Uint8Array[] {
  return [
    { code: "ValueError", message: "row 17", kind: ContainerError_Kind.NON_RECOVERABLE, origin: 1 },
    { code: "OOMKilled", message: OOM_TEXT, kind: ContainerError_Kind.RECOVERABLE, origin: 1 },
    { code: "SystemError", message: "disk", kind: ContainerError_Kind.RECOVERABLE, origin: 2 },
  ].map((error) => toBinary(ErrorDocumentSchema, create(ErrorDocumentSchema, { error })));
}

const DETAIL_TYPES = [
  {
    type: "google.rpc.RetryInfo",
    bytes: toBinary(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: { seconds: 2n } })),
  },
  {
    type: "google.rpc.ErrorInfo",
    bytes: toBinary(
      ErrorInfoSchema,
      create(ErrorInfoSchema, { reason: "QUOTA", domain: "flyte", metadata: { run: "r1" } }),
    ),
  },
  {
    type: "google.rpc.BadRequest",
    bytes: toBinary(
      BadRequestSchema,
      create(BadRequestSchema, { fieldViolations: [{ field: "name", description: "too long" }] }),
    ),
  },
  {
    type: "google.rpc.LocalizedMessage",
    bytes: toBinary(
      LocalizedMessageSchema,
      create(LocalizedMessageSchema, { locale: "en", message: "slow down" }),
    ),
  },
] as const;

/** Runs `decode` on `CASES` mutations and reports every input that broke the contract. */
function fuzz(
  label: string,
  corpus: readonly Uint8Array[],
  decode: (bytes: Uint8Array, rng: Rng) => unknown,
  allowUndefined: boolean,
): string[] {
  const rng = seededRng(SEED);
  const problems: string[] = [];
  // Every decode builds an Error, and the FlyteError constructor has V8 format its stack at
  // once; under vitest's source-mapping stack hook that formatting is most of the cost
  // (83 s for this file instead of 18). No frames, same code paths: the decoders' logic
  // does not depend on the frames, and the stack handling still runs on an empty stack.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (let i = 0; i < CASES && problems.length < 5; i++) {
      const seed = rng.pick(corpus);
      const { bytes, kind } = mutate(seed, corpus, rng);
      const where = () =>
        `${label} case ${i} (${kind}, seed ${SEED}): ${Buffer.from(bytes).toString("base64").slice(0, 200)}`;
      let result: unknown;
      try {
        result = decode(bytes, rng);
      } catch (e) {
        problems.push(`${where()} THREW ${String(e)}`);
        continue;
      }
      if (result === undefined && allowUndefined) continue;
      if (!isFlyteError(result)) {
        problems.push(`${where()} returned ${String(result)}`);
        continue;
      }
      // Serialising is what a caller does next; sample it, it costs more than the decode.
      if (i % 100 === 0) {
        try {
          JSON.stringify(result);
          JSON.stringify(result.toProblemDetails());
        } catch (e) {
          problems.push(`${where()} decoded into an error that does not serialise: ${String(e)}`);
        }
      }
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
  return problems;
}

describe(`fuzz at scale: ${CASES.toLocaleString("en-US")} mutated payloads per decoder`, () => {
  it("decodeActionDetails", async () => {
    const corpus = await actionDetailsCorpus();
    expect(corpus.length).toBe(TERMINAL_OUTCOMES.length);
    expect(
      fuzz("ActionDetails", corpus, (b) => decodeActionDetails(b, { runName: "r" }), true),
    ).toEqual([]);
  });

  it("decodeExecutionError", () => {
    expect(
      fuzz("ExecutionError", executionErrorCorpus(), (b) => decodeExecutionError(b), false),
    ).toEqual([]);
  });

  it("decodeErrorDocument", () => {
    expect(
      fuzz("ErrorDocument", errorDocumentCorpus(), (b) => decodeErrorDocument(b), true),
    ).toEqual([]);
  });

  it("decodeRpcError, with mutated google.rpc details", () => {
    const corpus = DETAIL_TYPES.map((d) => d.bytes);
    const codes = Object.values(Code).filter((c): c is Code => typeof c === "number");
    expect(
      fuzz(
        "RpcError",
        corpus,
        (bytes, rng) => {
          // As a client receives it: the detail still in binary, decoded on demand.
          const error = new ConnectError("watch failed", rng.pick(codes));
          error.details.push({ type: rng.pick(DETAIL_TYPES).type, value: bytes });
          return decodeRpcError(error, { method: "WatchActionDetails", operation: "watch" });
        },
        false,
      ),
    ).toEqual([]);
  });
});
