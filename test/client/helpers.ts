import { type ClientOptions, createClient, type FlyteClient } from "../../src/index.node.js";
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from "../../src/testing/index.js";

/** Every protocol and HTTP version pair the client supports. */
export const TRANSPORTS = [
  { label: "grpc h2", protocol: "grpc", httpVersion: "2" },
  { label: "connect h2", protocol: "connect", httpVersion: "2" },
  { label: "grpc-web h2", protocol: "grpc-web", httpVersion: "2" },
  { label: "connect h1", protocol: "connect", httpVersion: "1.1" },
  { label: "grpc-web h1", protocol: "grpc-web", httpVersion: "1.1" },
] as const;

export type TransportCase = (typeof TRANSPORTS)[number];

/** Fast timelines; a whole scenario takes some tens of milliseconds. */
export const FAST = 400;

let counter = 0;
/** A run name unique within the test process, at most 30 characters. */
export function runName(prefix: string): string {
  counter++;
  return `${prefix.slice(0, 18)}-${process.pid % 1000}-${counter}`.slice(0, 30);
}

/** Starts a server and a client on it, and closes both after `fn`. */
export async function withClient<T>(
  transport: TransportCase,
  fn: (client: FlyteClient, server: TestServer) => Promise<T>,
  options: { server?: TestServerOptions; client?: Partial<ClientOptions> } = {},
): Promise<T> {
  const server = await startTestServer({ speed: FAST, ...options.server });
  const client = createClient({
    endpoint: server.url,
    protocol: transport.protocol,
    httpVersion: transport.httpVersion,
    project: "flytesnacks",
    domain: "development",
    watch: { backoff: { baseMs: 20, maxMs: 200 }, idleTimeoutMs: 1_000, pollIntervalMs: 50 },
    keepalive: { intervalMs: 500, timeoutMs: 500 },
    ...options.client,
  });
  try {
    return await fn(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

/** Settles a promise into a value or the error it rejected with. */
export async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
