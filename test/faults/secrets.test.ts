/**
 * The secret check the fault suites rely on, proven able to fail; and the one fault the
 * other suites cannot reach: a client whose token the server refuses. Its token must not
 * appear in the error, its JSON, its problem details or the polling log either.
 */

import { describe, expect, it } from "vitest";
import { isFlyteError, RuntimeUserError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer } from "../../src/testing/index.js";
import { secretLeaks, testToken } from "./expectations.js";

describe("secrets", () => {
  it("the check finds a token in a message, in details and in a cause", () => {
    const token = testToken("check");
    const inMessage = new Error(`request failed: Bearer ${token}`);
    const inDetails = new RuntimeUserError({ message: "x", details: { header: token } });
    const inCause = new RuntimeUserError({ message: "x", cause: new Error(token) });
    expect(secretLeaks(token, [inMessage]).length).toBeGreaterThan(0);
    expect(secretLeaks(token, [inDetails]).length).toBeGreaterThan(0);
    expect(secretLeaks(token, [inCause]).length).toBeGreaterThan(0);
    expect(secretLeaks(token, [new Error("clean"), "clean"])).toEqual([]);
  });

  it("a refused token appears nowhere in the error or the polling log", async () => {
    const serverToken = testToken("server");
    const clientToken = testToken("client");
    const server = await startTestServer({ speed: 1_000, token: serverToken });
    const polled: unknown[] = [];
    const client = createClient({
      endpoint: server.url,
      token: clientToken,
      project: "flytesnacks",
      domain: "development",
      watch: { backoff: { baseMs: 10, maxMs: 20 } },
      onPollingError: (error, context) => {
        polled.push(error, `${context.method}: ${String(error)}`);
      },
    });
    try {
      server.runs.create({ name: "refused", scenario: "succeed" });
      const error = await client
        .getRun("refused")
        .wait({ timeoutMs: 10_000 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isFlyteError(error) && error.name).toBe("AuthenticationError");
      expect(secretLeaks(clientToken, [error, ...polled])).toEqual([]);
      expect(secretLeaks(serverToken, [error, ...polled])).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
