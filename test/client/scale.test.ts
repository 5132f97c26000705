import { describe, expect, it } from "vitest";
import { isFlyteError } from "../../src/errors/index.js";
import { runName, settle, TRANSPORTS, withClient } from "./helpers.js";

describe.each(["stream", "multiplex"] as const)("scale, %s strategy", (strategy) => {
  it("2,000 concurrent waits on a server with maxConcurrentStreams 100 all settle correctly", async () => {
    const COUNT = 2_000;
    await withClient(
      TRANSPORTS[0],
      async (client, server) => {
        const names = Array.from({ length: COUNT }, (_, i) => runName(`s${i}`));
        names.forEach((name, i) => {
          server.runs.create({ name, scenario: i % 2 === 0 ? "succeed" : "oom", hold: true });
        });
        const waits = names.map((name) => settle(client.getRun(name).wait()));
        // Let every watch subscribe before the runs move on together: one stream each, or
        // the shared stream and nothing queued behind it.
        const subscribed = () =>
          strategy === "stream"
            ? server.stats().activeStreams >= COUNT
            : server.stats().activeStreams >= 1 && client.stats().queued === 0;
        for (let i = 0; i < 300 && !subscribed(); i++) await new Promise((r) => setTimeout(r, 50));
        expect(subscribed(), "every wait subscribed within 15 s").toBe(true);
        server.runs.release();
        const results = await Promise.all(waits);
        let ok = 0;
        let oom = 0;
        results.forEach((result, i) => {
          if (i % 2 === 0 && result.ok) ok++;
          if (
            i % 2 === 1 &&
            !result.ok &&
            isFlyteError(result.error) &&
            result.error.name === "OOMError"
          )
            oom++;
        });
        expect({ ok, oom }).toEqual({ ok: COUNT / 2, oom: COUNT / 2 });
        // One stream per wait needs a connection per 90 waits. Multiplexed, the shared
        // stream needs one, and the failures' detail reads (up to 256 in flight) at most two
        // more of 100 streams each: never one per 90 waits.
        if (strategy === "stream")
          expect(client.stats().connections).toBeGreaterThanOrEqual(COUNT / 100);
        else expect(client.stats().connections).toBeLessThanOrEqual(3);
      },
      {
        server: { maxConcurrentStreams: 100, speed: 200 },
        client: {
          watch: { strategy, maxStreamsPerConnection: 90, idleTimeoutMs: 10_000 },
          // 2,000 waits starting at once keep both processes busy for a while: a liveness
          // budget that tight would take a busy connection for a dead one.
          keepalive: { intervalMs: 10_000, timeoutMs: 10_000 },
        },
      },
    );
  }, 60_000);
});
