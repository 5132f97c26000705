/**
 * Issue 12, item 7: a gRPC server that finds the client's PINGs too frequent answers with
 * GOAWAY ENHANCE_YOUR_CALM and debug data `too_many_pings`, and drops the connection with
 * every stream on it (grpc-core does so after about a minute of pings every 15 s). The
 * client doubles its PING interval, as gRPC clients do, and its waits move to a new
 * connection without failing. Its defaults must be acceptable to a server with default
 * enforcement: grpc-go refuses PINGs more often than every 5 minutes.
 */

import * as http2 from "node:http2";
import { describe, expect, it } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { createClient } from "../../src/index.node.js";
import { describe as describeValue } from "../faults/expectations.js";
import { observe, within } from "../infra/bounded.js";
import { withFakeServer } from "./fake-server.js";

/** The client's PING interval in the test, and the least the server tolerates. */
const INTERVAL_MS = 300;
const SERVER_MIN_PING_MS = 450;
/** Two PINGs sooner than that, and the server goes away, as grpc-core does. */
const STRIKES = 2;
const WAITS = 6;
const RUN_MS = 3_500;

/** grpc-go's server default: no PINGs more often than every 5 minutes. */
const GRPC_GO_MIN_PING_MS = 300_000;

describe("GOAWAY ENHANCE_YOUR_CALM too_many_pings", () => {
  it("the client doubles its PING interval and its waits move to a new connection without failing", async () => {
    const goaways: number[] = [];
    const strikes = new Map<number, { last: number | undefined; count: number }>();
    const lastStream = new Map<number, number>();
    const tooManyPings = (connection: number, session: http2.ServerHttp2Session) => {
      const state = strikes.get(connection) ?? { last: undefined, count: 0 };
      strikes.set(connection, state);
      const now = performance.now();
      if (state.last !== undefined && now - state.last < SERVER_MIN_PING_MS) state.count++;
      state.last = now;
      if (state.count < STRIKES || goaways.includes(connection)) return;
      goaways.push(connection);
      session.goaway(
        http2.constants.NGHTTP2_ENHANCE_YOUR_CALM,
        lastStream.get(connection) ?? 0,
        Buffer.from("too_many_pings"),
      );
      // grpc-core closes the transport right after: every stream on it fails at once.
      setTimeout(() => session.destroy(), 10);
    };

    await withFakeServer(
      {
        server: { onPing: tooManyPings },
        client: {
          keepalive: { intervalMs: INTERVAL_MS, timeoutMs: 2_000 },
          watch: { backoff: { baseMs: 20, maxMs: 100 } },
        },
        prepare: (service) => {
          for (let i = 0; i < WAITS; i++) service.seed(`r${i}`);
          service.intercept = (call) => {
            lastStream.set(
              call.connection,
              Math.max(lastStream.get(call.connection) ?? 0, call.stream.id ?? 0),
            );
            return false;
          };
        },
      },
      async ({ service, server, client }) => {
        const waits = Array.from({ length: WAITS }, (_, i) =>
          observe(client.getRun(`r${i}`).wait()),
        );
        const finish = setTimeout(() => {
          for (let i = 0; i < WAITS; i++) service.setPhase(`r${i}`, ActionPhase.SUCCEEDED);
        }, RUN_MS);
        try {
          await within(RUN_MS + 5_000, "every wait settled", Promise.all(waits.map((w) => w.done)));
        } finally {
          clearTimeout(finish);
        }

        const settled = waits.map((w) =>
          w.outcome?.ok
            ? w.outcome.value.phaseName
            : describeValue(w.outcome?.ok === false ? w.outcome.error : "pending"),
        );
        expect(settled).toEqual(Array(WAITS).fill("SUCCEEDED"));
        expect(
          server.pings.filter((p) => p.connection === 1).length,
          "PINGs on the first connection",
        ).toBeGreaterThanOrEqual(STRIKES + 1);
        expect(goaways, "the server went away once, and once only").toEqual([1]);
        const later = server.pings.filter((p) => p.connection > 1).map((p) => p.at);
        expect(later.length, "PINGs on the new connection").toBeGreaterThanOrEqual(2);
        const gaps = later.slice(1).map((at, i) => at - (later[i] ?? at));
        expect(Math.min(...gaps), "PING spacing after the GOAWAY").toBeGreaterThanOrEqual(
          2 * INTERVAL_MS * 0.9,
        );
        expect(client.stats().pingIntervalMs).toBe(2 * INTERVAL_MS);
      },
    );
  }, 20_000);

  it(`the default PING interval is one a grpc-go server with default enforcement accepts (at least ${GRPC_GO_MIN_PING_MS / 60_000} minutes)`, async () => {
    const client = createClient({ endpoint: "http://127.0.0.1:1" });
    try {
      expect(client.stats().pingIntervalMs).toBeGreaterThanOrEqual(GRPC_GO_MIN_PING_MS);
    } finally {
      await client.close();
    }
  });
});
