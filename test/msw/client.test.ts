import { createConnectTransport } from "@connectrpc/connect-web";
import { afterAll, describe, expect, test } from "vitest";
import { isFlyteError, UnionRpcError } from "../../src/errors/index.js";
import { createClient, type FlyteClient } from "../../src/index.node.js";
import { outcomeCatalogue } from "../../src/testing/index.js";
import { useMockFlyte } from "./helpers.js";

// flyte-remote's own client, on connect-web's fetch transport, against the msw mock:
// what a browser app or a fetch-based test suite does.
const baseUrl = "http://client.flyte.test";
const mock = useMockFlyte({ baseUrl, speed: 1000 });

async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

const clients: FlyteClient[] = [];
function fetchClient(useBinaryFormat: boolean): FlyteClient {
  const client = createClient({
    transport: createConnectTransport({ baseUrl, useBinaryFormat }),
    watch: { backoff: { baseMs: 10, maxMs: 50 }, idleTimeoutMs: 2_000 },
    retry: { baseMs: 10, maxMs: 50 },
  });
  clients.push(client);
  return client;
}
afterAll(async () => {
  for (const c of clients) await c.close();
});

describe.each([
  { label: "Connect binary", binary: true },
  { label: "Connect JSON", binary: false },
])("flyte-remote's client over $label on msw", ({ label, binary }) => {
  const tag = binary ? "b" : "j";

  test.each(outcomeCatalogue.filter((o) => o.terminal))(
    "wait() on $name settles as the catalogue says",
    async (outcome) => {
      const client = fetchClient(binary);
      // stream-drop in front: the watch loop must also resume over fetch.
      const run = await client.createRun({
        task: { name: `stream-drop+${outcome.name}` },
        name: `${tag}-${outcome.name}`.slice(0, 30),
      });
      const settled = await settle(run.wait());
      if (outcome.success) {
        expect(settled.ok, `${label} ${outcome.name}`).toBe(true);
        if (settled.ok) expect(settled.value.phase).toBe(outcome.finalPhase);
        return;
      }
      expect(settled.ok).toBe(false);
      if (settled.ok) return;
      const error = settled.error;
      expect(isFlyteError(error), String(error)).toBe(true);
      if (!isFlyteError(error)) return;
      expect(error.name).toBe(outcome.errorClass);
      expect(error.kind).toBe(outcome.errorKind);
      if (outcome.code !== undefined) expect(error.code).toBe(outcome.code);
    },
  );

  test("a gateway page on one CreateRun is retried; on every read it becomes a typed error", async () => {
    const client = fetchClient(binary);
    mock.flyte.setFault("CreateRun", { fault: "html-502", times: 1 });
    const run = await client.createRun({ task: { name: "succeed" }, name: `${tag}-gateway` });
    expect(mock.flyte.runs.get(run.name)).toBeDefined();

    mock.flyte.setFault("GetRunDetails", "html-502");
    try {
      const settled = await settle(run.details());
      expect(settled.ok).toBe(false);
      if (settled.ok) return;
      expect(settled.error).toBeInstanceOf(UnionRpcError);
      const error = settled.error as UnionRpcError;
      expect(error.code).toBe("UNAVAILABLE");
      expect(error.message).toContain("the server answered HTTP 502 (text/html)");
    } finally {
      mock.flyte.setFault("GetRunDetails", undefined);
    }
  });
});
