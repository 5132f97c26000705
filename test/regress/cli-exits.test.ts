/**
 * Issue 12, items 9 and 10, as a user meets them: the built `flyte-remote` CLI as a
 * subprocess. Failures that are not the run's get exit codes of their own, documented in
 * the table: 7 for authentication or permission, 8 for an unknown run, 9 for an endpoint
 * that cannot be reached. A host that does not resolve fails at once; while the CLI retries
 * it says so on stderr. SIGTERM exits 143, and `--timeout 720h` does not give up at once.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRunStore,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { builtCli, runBuiltCli, startCli } from "../cli/built-cli.js";
import { freePort } from "../infra/free-port.js";
import { withFakeServer } from "./fake-server.js";
import { trailersOnly } from "./raw-grpc-server.js";

const TOKEN = "cli-exit-codes-3f9a1c";
let store: RunStore;
let server: TestServer;

beforeAll(async () => {
  store = createRunStore({ speed: 50 });
  server = await startTestServer({ store, token: TOKEN });
  await builtCli();
}, 240_000);

afterAll(async () => {
  await server?.close();
  store?.dispose();
});

function wait(args: readonly string[], env: Record<string, string> = { FLYTE_TOKEN: TOKEN }) {
  return runBuiltCli(["wait", ...args], { env });
}

describe("flyte-remote wait: exit codes of their own", () => {
  it("a token the server refuses exits 7", async () => {
    store.create({ name: "auth-refused", scenario: "succeed" });
    const result = await wait(["auth-refused", "--endpoint", server.url], {
      FLYTE_TOKEN: "not-the-token",
    });
    expect(result.code, result.stderr).toBe(7);
  });

  it("a permission the server denies exits 7", async () => {
    const result = await withFakeServer(
      {
        prepare: (service) => {
          service.intercept = (call) => {
            trailersOnly(call.stream, {
              code: 7,
              message: "svc-ci may not read runs of flytesnacks",
            });
            return true;
          };
        },
      },
      ({ server: fake }) => wait(["denied", "--endpoint", fake.url]),
    );
    expect(result.code, result.stderr).toBe(7);
  });

  it("a run name the server does not know exits 8", async () => {
    const result = await wait(["no-such-run", "--endpoint", server.url]);
    expect(result.code, result.stderr).toBe(8);
  });

  it("an endpoint that refuses connections exits 9, and stderr says which attempt failed and why", async () => {
    const port = await freePort();
    const started = performance.now();
    const result = await wait(["some-run", "--endpoint", `http://127.0.0.1:${port}`]);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toMatch(/attempt\D{0,3}\d/i);
    expect(result.stderr).toMatch(/ECONNREFUSED|refused/i);
    expect(performance.now() - started).toBeLessThan(45_000);
  }, 60_000);

  it('a host name that does not resolve fails at once with "host not found" and exits 9', async () => {
    const started = performance.now();
    const result = await wait(["some-run", "--endpoint", "http://flyte-remote-test.invalid:8089"]);
    const elapsed = performance.now() - started;
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toMatch(/host not found/i);
    expect(elapsed, "no retries for a name that does not exist").toBeLessThan(5_000);
  }, 30_000);

  it("the exit-code table in --help lists 7, 8 and 9", async () => {
    const result = await runBuiltCli(["wait", "--help"]);
    const table = result.stdout.slice(result.stdout.indexOf("Exit codes"));
    for (const code of [7, 8, 9]) expect(table).toMatch(new RegExp(`^\\s*${code}\\s+\\S`, "m"));
  });
});

describe("flyte-remote wait: signals and long timeouts", () => {
  it("SIGTERM exits 143", async () => {
    store.create({ name: "sigterm", scenario: "succeed", hold: true });
    const cli = await startCli(["wait", "sigterm", "--endpoint", server.url], {
      env: { FLYTE_TOKEN: TOKEN },
    });
    try {
      await store.whenHeld(["sigterm"]);
      await cli.waitFor("stderr", /RUNNING/);
      cli.child.kill("SIGTERM");
      const result = await cli.done;
      expect(result.code, `${result.signal ?? ""} ${result.stderr}`).toBe(143);
    } finally {
      store.release(["sigterm"]);
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
      await cli.done;
    }
  });

  it("wait --timeout 720h keeps waiting instead of exiting 6 at once", async () => {
    store.create({ name: "long-timeout", scenario: "succeed", hold: true });
    const cli = await startCli(
      ["wait", "long-timeout", "--timeout", "720h", "--endpoint", server.url],
      {
        env: { FLYTE_TOKEN: TOKEN },
      },
    );
    try {
      await store.whenHeld(["long-timeout"]);
      await cli.waitFor("stderr", /RUNNING/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stillWaiting = cli.child.exitCode === null;
      store.release(["long-timeout"]);
      const result = await cli.done;
      expect(stillWaiting, result.stderr).toBe(true);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
      await cli.done;
    }
  });
});
