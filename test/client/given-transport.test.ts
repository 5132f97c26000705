/**
 * A caller's own transport (connect-web's in a page, one with its own interceptors) still
 * carries the client's token, refreshed on UNAUTHENTICATED like any other; interceptors,
 * which the client cannot add to a transport that exists, are refused with a clear error.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, InitializationError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { type NodeTransport, nodeTransport } from "../support/transports.js";

const TOKEN = "tok-given-transport-71c3";
let server: TestServer;
const transports: NodeTransport[] = [];

beforeAll(async () => {
  server = await startTestServer({ speed: 1_000, token: TOKEN });
});
afterAll(async () => {
  for (const t of transports) t.close();
  await server.close();
});

function transport() {
  const made = nodeTransport(server.url, { protocol: "grpc" });
  transports.push(made);
  return made.transport;
}

describe("createClient({ transport })", () => {
  it("sends the token on every call, the watch's included", async () => {
    const client = createClient({
      transport: transport(),
      token: TOKEN,
      project: "flytesnacks",
      domain: "development",
    });
    const run = await client.createRun({ task: { name: "succeed" } });
    await expect(run.wait()).resolves.toMatchObject({ phaseName: "SUCCEEDED" });
  });

  it("asks a provider again once when the server refuses its token", async () => {
    const handed: string[] = [];
    const client = createClient({
      transport: transport(),
      token: () => {
        const next = handed.length === 0 ? "tok-stale" : TOKEN;
        handed.push(next);
        return next;
      },
      project: "flytesnacks",
      domain: "development",
    });
    await client.createRun({ task: { name: "succeed" } });
    expect(handed).toEqual(["tok-stale", TOKEN]);
  });

  it("without a token, the server's refusal is an AuthenticationError", async () => {
    const client = createClient({
      transport: transport(),
      project: "flytesnacks",
      domain: "development",
    });
    await expect(client.createRun({ task: { name: "succeed" } })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it("refuses interceptors, which it could not add to the transport", () => {
    expect(() => createClient({ transport: transport(), interceptors: [(next) => next] })).toThrow(
      InitializationError,
    );
  });
});
