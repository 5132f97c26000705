/**
 * `flyte-remote serve`: the local Flyte-compatible server, for another app (or `wait`)
 * to point at. It plays the scenario the task name of each CreateRun picks.
 *
 * @module
 */

import { setMaxListeners } from "node:events";
import { type CorsOptions, normalizeOrigin } from "../../testing/cors.js";
import {
  faultCatalogue,
  type OutcomeName,
  outcomeCatalogue,
  startTestServer,
} from "../../testing/index.js";
import { booleanOption, parseCommandArgs, stringOption } from "../args.js";
import { renderCatalogue } from "../catalogue-text.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { programName } from "../help.js";
import { colorEnabled, createStyle } from "../style.js";
import { UsageError } from "../usage-error.js";

/** The spec of `serve`. */
export const serveSpec: CommandSpec = {
  name: "serve",
  summary: "Run the local Flyte-compatible test server until Ctrl-C.",
  description: [
    "It serves flyteidl2.workflow.RunService with the Connect, gRPC and gRPC-Web protocols over HTTP/2 (h2c) and HTTP/1.1, on one port. The task name of each CreateRun picks a scenario from the catalogue it prints.",
    "The first line of stdout is the URL. SIGINT or SIGTERM shut it down cleanly.",
  ],
  positionals: [],
  options: [
    {
      name: "port",
      type: "string",
      short: "p",
      value: "N",
      description: "TCP port; 0 picks a free one (default 8089).",
    },
    {
      name: "host",
      type: "string",
      value: "H",
      description: "Interface to bind (default 127.0.0.1).",
    },
    {
      name: "token",
      type: "string",
      value: "T",
      description: "Require `authorization: Bearer T` on every call (never printed back).",
    },
    {
      name: "speed",
      type: "string",
      value: "X",
      description: "Timeline speed; 1 is human pace (default), 50 brisk.",
    },
    {
      name: "cors",
      type: "string",
      value: "ORIGIN",
      description:
        "Let browser pages on ORIGIN (http://host:port, comma-separated) or any origin (*) call it.",
    },
    {
      name: "runs",
      type: "boolean",
      description:
        "Create one run per outcome at start, named after it, so `wait <outcome>` works at once.",
    },
  ],
  examples: [
    [`${programName} serve`, "Serve on http://127.0.0.1:8089 at human pace"],
    [
      `${programName} serve --port 0 --speed 50 --runs`,
      "Pick a free port, run ten times faster than life, with runs ready",
    ],
    [`${programName} serve --token s3cret`, "Require a bearer token, as a hosted Flyte would"],
    [
      `${programName} serve --cors http://localhost:5173`,
      "Let a web app on a Vite dev server call it with connect-web",
    ],
  ],
};

/** Default port: unprivileged, and unlikely to collide with Flyte's own 8088/30080. */
const defaultPort = 8089;

function parsePort(text: string | undefined): number {
  if (text === undefined) return defaultPort;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got '${text}'`, "serve");
  }
  return port;
}

/** Parses `--speed`; shared with `demo`. */
export function parseSpeed(text: string | undefined, command: string, fallback: number): number {
  if (text === undefined) return fallback;
  const speed = Number(text);
  if (text.trim() === "" || !Number.isFinite(speed) || speed <= 0) {
    throw new UsageError(`--speed must be a positive number, got '${text}'`, command);
  }
  return speed;
}

/** Parses `--cors`: `*`, or origins joined by commas. */
function parseCors(text: string | undefined): CorsOptions | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === "*") return { origins: "*" };
  const origins = text
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  if (origins.length === 0) {
    throw new UsageError("--cors needs an origin such as http://localhost:5173, or *", "serve");
  }
  try {
    return { origins: origins.map(normalizeOrigin) };
  } catch (error) {
    throw new UsageError(`--cors: ${(error as Error).message}`, "serve");
  }
}

async function run(args: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const { options } = parseCommandArgs(serveSpec, args);
  const port = parsePort(stringOption(options, "port"));
  const speed = parseSpeed(stringOption(options, "speed"), "serve", 1);
  const host = stringOption(options, "host") ?? "127.0.0.1";
  const token = stringOption(options, "token");
  const cors = parseCors(stringOption(options, "cors"));
  // One abort listener per open stream sits on the server's shutdown signal; a busy
  // client easily holds more than Node's default of 10. Raise it; a real leak still shows.
  setMaxListeners(1000);
  const server = await startTestServer({
    port,
    host,
    speed,
    ...(token === undefined || token === "" ? {} : { token }),
    ...(cors === undefined ? {} : { cors }),
  });
  // Subscribe before printing the URL: whoever reads the URL may signal at once.
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const stopListening = io.onSignal((signal) => stop(signal));

  const created: OutcomeName[] = [];
  if (booleanOption(options, "runs")) {
    for (const outcome of outcomeCatalogue) {
      server.runs.create({ scenario: outcome.name, name: outcome.name });
      created.push(outcome.name);
    }
  }
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const lines = [
    server.url,
    "",
    `flyte-remote test server on ${style.bold(server.url)} (speed ${speed}x${token ? ", bearer token required" : ""}${cors === undefined ? "" : `, CORS for ${cors.origins === "*" ? "any origin" : cors.origins.join(", ")}`})`,
    `Point a client at it:  FLYTE_ENDPOINT=${server.url} ${programName} wait <run-name>`,
    "",
    ...renderCatalogue(outcomeCatalogue, faultCatalogue, style.bold),
  ];
  if (created.length > 0) {
    lines.push("", `Runs created, named after their outcome: ${created.join(", ")}`);
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  io.stderr.write("Serving. Press Ctrl-C to stop.\n");

  const signal = await stopped;
  stopListening();
  await server.close();
  io.stderr.write(`Stopped on ${signal}.\n`);
  return ExitCode.ok;
}

/** `flyte-remote serve`. */
export const serveCommand: Command = { spec: serveSpec, run };
