/**
 * `flyte-remote explain [file|-]`: decodes a failure payload someone pasted from the
 * console, a log or an `error.pb`, and shows the typed error flyte-remote would raise
 * for it, with the same decoders the client uses.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import {
  classifyFailureMessage,
  decodeActionDetails,
  decodeErrorDocument,
  decodeExecutionError,
  phaseName,
} from "../../decode/index.js";
import type { AnyFlyteError, ErrorKind } from "../../errors/index.js";
import { ActionPhase } from "../../gen/flyteidl2/common/phase_pb.js";
import { booleanOption, type ParsedOptions, parseCommandArgs, stringOption } from "../args.js";
import type { CliIo } from "../cli-io.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import {
  connectionOptions,
  openClient,
  requireEndpoint,
  resolveConnection,
  scopeOptions,
} from "../connection.js";
import { describeError, errorFacts } from "../describe-error.js";
import { ExitCode } from "../exit-codes.js";
import {
  type DetectedPayload,
  detectPayload,
  type PayloadKind,
  payloadKinds,
  payloadTitles,
} from "../explain-input.js";
import { programName } from "../help.js";
import { colorEnabled, createStyle } from "../style.js";
import { UsageError } from "../usage-error.js";

const kinds: readonly ErrorKind[] = ["user", "system", "unknown"];

/** The spec of `explain`. */
export const explainSpec: CommandSpec = {
  name: "explain",
  summary: "Decode a failure payload and show the typed error flyte-remote would raise.",
  description: [
    'Input (a file, or stdin when the argument is - or missing) is auto-detected: ActionDetails as binary protobuf or proto3 JSON (a GetActionDetails response\'s {"details": ...} too), an ExecutionError, an ErrorDocument (the error.pb a failing task writes), a bare ErrorInfo ({"message", "kind": "KIND_USER"}), or a plain failure message. --as forces the kind.',
    "With --run NAME it reads the run's details from the cluster instead, connecting as `wait` does (the Flyte config file, FLYTE_* variables, --config, --endpoint, --project, --domain, --org).",
    "It prints the class, kind, code, retryable, HTTP status, hint and message on stdout; --json prints the RFC 9457 problem details instead. Exits 0 once it has explained the input, 64 when it cannot read it.",
  ],
  positionals: [
    { name: "file", description: "The payload; - or nothing for stdin.", required: false },
  ],
  options: [
    {
      name: "as",
      type: "string",
      value: "KIND",
      description: `Force the input kind: ${payloadKinds.join(", ")}.`,
    },
    {
      name: "kind",
      type: "string",
      value: "K",
      description: "For a plain message: the kind the platform stated (user, system, unknown).",
    },
    { name: "json", type: "boolean", description: "Print the RFC 9457 problem details JSON." },
    {
      name: "run",
      type: "string",
      value: "NAME",
      description: "Explain this run's failure, read from the cluster.",
    },
    ...connectionOptions,
    ...scopeOptions,
  ],
  examples: [
    [`${programName} explain error.pb`, "Explain the error file a task wrote"],
    [`pbpaste | ${programName} explain --kind user`, "Explain a message copied from the console"],
    [
      `${programName} explain details.json --as actiondetails --json`,
      "Problem details of saved ActionDetails",
    ],
    [
      `${programName} explain --run r3x9 --config ~/.flyte/config.yaml`,
      "Explain a run on a cluster",
    ],
  ],
};

async function readInput(io: CliIo, file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined && file !== "-") {
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      const code = (error as { code?: unknown | undefined }).code;
      const why =
        code === "ENOENT"
          ? "no such file"
          : code === "EISDIR"
            ? "it is a directory"
            : String(code ?? error);
      throw new UsageError(`cannot read '${file}': ${why}`, "explain");
    }
  }
  if (io.stdin.isTTY === true) {
    throw new UsageError(
      "give a file, or pipe the payload in: ... | flyte-remote explain -",
      "explain",
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

async function readNonEmptyInput(io: CliIo, file: string | undefined): Promise<Uint8Array> {
  const bytes = await readInput(io, file);
  if (bytes.length === 0) throw new UsageError("the input is empty", "explain");
  return bytes;
}

/** The run's current details, read from the cluster as `wait` would connect. */
async function fetchRun(
  io: CliIo,
  options: ParsedOptions,
  runName: string,
): Promise<DetectedPayload> {
  const connection = await resolveConnection(options, io, {
    command: "explain",
    signIn: io.stderr.isTTY === true && io.stdin.isTTY === true,
  });
  requireEndpoint(connection, "explain");
  const client = openClient(connection.client, "explain");
  try {
    const message = await client.getRun(runName).details();
    return { kind: "actiondetails", encoding: "binary", message };
  } finally {
    await client.close();
  }
}

/** The error a payload stands for, or why there is none. */
function explainPayload(
  payload: DetectedPayload,
  kind: ErrorKind | undefined,
): { error: AnyFlyteError } | { none: string } {
  switch (payload.kind) {
    case "actiondetails": {
      const error = decodeActionDetails(payload.message);
      if (error !== undefined) return { error };
      const phase = payload.message.status?.phase ?? ActionPhase.UNSPECIFIED;
      return { none: `the action is ${phaseName(phase)}, which is not a failure` };
    }
    case "executionerror":
      return { error: decodeExecutionError(payload.message) };
    case "errordocument": {
      const error = decodeErrorDocument(payload.message);
      return error === undefined ? { none: "the error document holds no error" } : { error };
    }
    case "errorinfo":
      return { error: classifyFailureMessage(payload.message.message, payload.message.kind) };
    case "message":
      return { error: classifyFailureMessage(payload.text, kind) };
  }
}

function encodingLabel(payload: DetectedPayload): string {
  if (payload.kind === "message") return "text";
  return payload.encoding === "binary" ? "binary protobuf" : "proto3 JSON";
}

async function run(args: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const { options, positionals } = parseCommandArgs(explainSpec, args);
  const as = stringOption(options, "as");
  if (as !== undefined && !payloadKinds.includes(as as PayloadKind)) {
    throw new UsageError(`--as must be one of ${payloadKinds.join(", ")}, got '${as}'`, "explain");
  }
  const kind = stringOption(options, "kind");
  if (kind !== undefined && !kinds.includes(kind as ErrorKind)) {
    throw new UsageError(`--kind must be one of ${kinds.join(", ")}, got '${kind}'`, "explain");
  }
  const runName = stringOption(options, "run");
  if (runName !== undefined && positionals[0] !== undefined) {
    throw new UsageError("give a file or --run, not both", "explain");
  }
  const payload =
    runName === undefined
      ? detectPayload(await readNonEmptyInput(io, positionals[0]), as as PayloadKind | undefined)
      : await fetchRun(io, options, runName);
  if ("error" in payload) throw new UsageError(payload.error, "explain");
  const explained = explainPayload(payload, kind as ErrorKind | undefined);
  const decodedAs = `${payloadTitles[payload.kind]} (${encodingLabel(payload)})`;
  if (booleanOption(options, "json")) {
    const body =
      "error" in explained
        ? explained.error.toProblemDetails()
        : { failure: null, decodedAs: payload.kind, detail: explained.none };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return ExitCode.ok;
  }
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const lines = [`Decoded as ${decodedAs}.`];
  if ("none" in explained) {
    lines.push(`No failure: ${explained.none}.`);
  } else {
    lines.push("flyte-remote would raise:", ...describeError(errorFacts(explained.error), style));
    if (payload.kind === "message" && kind === undefined) {
      lines.push(
        style.dim(
          "(a bare message does not say its kind; pass --kind user|system if the platform stated one)",
        ),
      );
    }
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return ExitCode.ok;
}

/** `flyte-remote explain`. */
export const explainCommand: Command = { spec: explainSpec, run };
