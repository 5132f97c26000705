/**
 * One regression test's world: the fake RunService on the raw server, and a client of it.
 * Everything is closed when the test body ends, whether it passed or not.
 */

import { type ClientOptions, createClient, type FlyteClient } from "../../src/index.node.js";
import { FakeRunService } from "./fake-run-service.js";
import { type RawServer, type RawServerOptions, startRawServer } from "./raw-grpc-server.js";

/** What {@link withFakeServer} sets up. */
export interface FakeSetup {
  readonly service: FakeRunService;
  readonly server: RawServer;
  readonly client: FlyteClient;
}

/** How the server and the client of {@link withFakeServer} are made. */
export interface FakeServerOptions {
  /** The server's SETTINGS, PING handling and the like. */
  readonly server?: Omit<RawServerOptions, "handle">;
  /** Client options besides the endpoint; project and domain default to the fake's. */
  readonly client?: Omit<ClientOptions, "endpoint">;
  /** Prepares the service before the first connection: seeds, intercepts, delays. */
  readonly prepare?: (service: FakeRunService) => void;
}

/** Runs `body` against a fresh fake server and client, and closes both afterwards. */
export async function withFakeServer<T>(
  options: FakeServerOptions,
  body: (setup: FakeSetup) => Promise<T>,
): Promise<T> {
  const service = new FakeRunService();
  options.prepare?.(service);
  const server = await startRawServer({ ...options.server, handle: service.handle });
  const client = createClient({
    endpoint: server.url,
    project: "flytesnacks",
    domain: "development",
    ...options.client,
  });
  try {
    return await body({ service, server, client });
  } finally {
    await client.close();
    await server.close();
  }
}
