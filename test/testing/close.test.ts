import { describe, expect, test } from "vitest";
import { startTestServer } from "../../src/testing/index.js";
import {
  codeOf,
  eventually,
  makeClient,
  type ProtocolCase,
  protocolCases,
  rawGrpcWatch,
  rawSession,
} from "./helpers.js";

const connectH2 = protocolCases[0] as ProtocolCase;

// Alone in its file, so the baseline holds no other test's sockets.
describe("close()", () => {
  test("close() ends open watches and sockets and leaves no handle behind", async () => {
    const count = () => {
      const counts = new Map<string, number>();
      for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
      return counts;
    };
    // Immediates come and go with every await; sockets, servers and timers must not linger.
    const kinds = ["TCPServerWrap", "TCPSocketWrap", "Timeout"];
    const snapshot = () => Object.fromEntries(kinds.map((k) => [k, count().get(k) ?? 0]));
    const before = snapshot();

    const server = await startTestServer({ speed: 1 });
    // Timers pending in the store, a held run, a half-open connection, and watches open on both HTTP versions.
    server.runs.create({ scenario: "oom" });
    const held = server.runs.create({ scenario: "succeed", hold: true });
    const stalled = server.runs.create({ scenario: "half-open+succeed" });
    const session = await rawSession(server.url);
    const halfOpen = rawGrpcWatch(session, stalled);
    await halfOpen.firstData;
    const h1 = makeClient(protocolCases[1] as ProtocolCase, server.url);
    const h1Watch = (async () => {
      for await (const _ of h1.client.watchActionDetails({ actionId: { run: held, name: "a0" } })) {
        // keep reading until the server goes away
      }
    })();
    const h2 = makeClient(connectH2, server.url);
    const h2Watch = (async () => {
      for await (const _ of h2.client.watchRunDetails({ runId: held })) {
        // keep reading until the server goes away
      }
    })();
    await eventually(() => server.stats().activeStreams === 3, "three watches open");

    await server.close();
    expect(await codeOf(h1Watch)).toBeDefined();
    expect(await codeOf(h2Watch)).toBeDefined();
    expect(await halfOpen.closed).toBeGreaterThanOrEqual(0);
    h1.close();
    h2.close();
    session.destroy();
    const noneAdded = () => {
      const now = snapshot();
      return kinds.every((k) => (now[k] ?? 0) <= (before[k] ?? 0));
    };
    await eventually(
      noneAdded,
      `handles back to ${JSON.stringify(before)}, now ${JSON.stringify(snapshot())}`,
    );
  });
});
