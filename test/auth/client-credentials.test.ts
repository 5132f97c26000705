/**
 * Client credentials and API keys end to end: a real OpenID provider issues JWT access
 * tokens, the test server verifies them against the provider's keys, and the client gets,
 * renews and retries with them. Every failure is a typed AuthenticationError that carries
 * none of the secrets in play.
 */

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKey, clientCredentials, decodeApiKey, jwtClaims } from "../../src/auth/index.js";
import { AuthenticationError, InitializationError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { captureConsole, caught } from "./support/capture.js";
import { expectErrorKeepsSecrets, expectNoSecrets } from "./support/no-secrets.js";
import {
  APIKEY_CLIENT,
  AUDIENCE,
  SECRETS,
  SERVICE_CLIENT,
  startCluster,
  startProvider,
  type TestCluster,
  type TestProvider,
} from "./support/provider.js";

const ALL_SECRETS = [SECRETS.serviceSecret, SECRETS.apiKeySecret];

function encodeKey(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

let cluster: TestCluster;
let provider: TestProvider;
let server: TestServer;
const logged: string[] = [];

beforeAll(async () => {
  cluster = await startCluster();
  ({ provider, server } = cluster);
  captureConsole(logged);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await cluster?.close();
  // Nothing the code under test logged may hold a secret.
  expectNoSecrets(logged, [...ALL_SECRETS, ...issuedTokens]);
});

/** Every access token seen in the suite, for the log check. */
const issuedTokens: string[] = [];
afterEach(() => {
  expect(server.auth).toBeDefined();
});

describe("client credentials", () => {
  it("signs in through discovery, and the server accepts the provider's token", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const client = createClient({ endpoint: server.url, auth, project: "p", domain: "d" });
    const before = server.auth?.counts() ?? { accepted: 0, refused: 0 };
    try {
      const run = await client.createRun({ task: { name: "succeed" }, name: "cc-succeed-1" });
      const result = await run.wait();
      expect(result.phaseName).toBe("SUCCEEDED");
    } finally {
      await client.close();
    }
    const after = server.auth?.counts() ?? { accepted: 0, refused: 0 };
    // The token was there from the first call: nothing was refused.
    expect(after.refused - before.refused).toBe(0);
    expect(after.accepted - before.accepted).toBeGreaterThan(0);
    expect(server.auth?.subjects.at(-1)).toBe(SERVICE_CLIENT);
    const token = await auth.token();
    issuedTokens.push(token);
    expect(jwtClaims(token)?.aud).toBe(AUDIENCE);
    expect(auth.secrets()).toEqual(expect.arrayContaining([token, SECRETS.serviceSecret]));
  });

  it("shares one grant among concurrent callers", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
      endpoint: server.url,
    });
    const grantsBefore = provider.grants.length;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.token()));
    issuedTokens.push(...tokens);
    expect(new Set(tokens).size).toBe(1);
    expect(provider.grants.length - grantsBefore).toBe(1);
  });

  it("on UNAUTHENTICATED gets a new token once and retries the call once", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const client = createClient({ endpoint: server.url, auth });
    try {
      await client.listRuns({ project: "p", domain: "d" });
      const first = await auth.token();
      issuedTokens.push(first);
      server.auth?.revoke(first);
      const before = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      const grantsBefore = provider.grants.length;
      await client.listRuns({ project: "p", domain: "d" });
      const after = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      expect(after.refused - before.refused).toBe(1);
      expect(after.accepted - before.accepted).toBe(1);
      expect(provider.grants.length - grantsBefore).toBe(1);
      const second = await auth.token();
      issuedTokens.push(second);
      expect(second).not.toBe(first);
      // The refused token stays among the secrets, for errors decoded after the renewal.
      expect(auth.secrets()).toContain(first);
    } finally {
      await client.close();
    }
  });

  it("a watch refused mid-way renews once and follows the run to its end", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const client = createClient({ endpoint: server.url, auth, project: "p", domain: "d" });
    try {
      const run = await client.createRun({ task: { name: "oom" }, name: "cc-watch-oom" });
      const first = await auth.token();
      issuedTokens.push(first);
      server.auth?.revoke(first);
      const before = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      const error = await caught(run.wait());
      // The run's own failure, not the refusal: the watch renewed and went on.
      expect((error as { name?: string }).name).toBe("OOMError");
      const after = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      expect(after.refused - before.refused).toBe(1);
      issuedTokens.push(...auth.secrets());
    } finally {
      await client.close();
    }
  });

  it("a refusal that survives the renewal is an AuthenticationError, after exactly one retry", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const client = createClient({ endpoint: server.url, auth, retry: false });
    try {
      const before = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      // Every token this client gets is revoked before it reaches the server.
      const original = auth.token.bind(auth);
      auth.token = async (request) => {
        const token = await original(request);
        server.auth?.revoke(token);
        return token;
      };
      const error = await caught(client.listRuns({ project: "p", domain: "d" }));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).code).toBe("UNAUTHENTICATED");
      const after = server.auth?.counts() ?? { accepted: 0, refused: 0 };
      expect(after.refused - before.refused).toBe(2);
      expectErrorKeepsSecrets(error, [...ALL_SECRETS, ...auth.secrets()]);
    } finally {
      await client.close();
    }
  });

  it("a refusal that echoes the token and the secret is decoded without either", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    // A careless gateway between client and server: it quotes what it was sent.
    const echo: Interceptor = () => async (req) => {
      const sent = req.header.get("authorization") ?? "";
      throw new ConnectError(
        `token ${sent.replace(/^Bearer /, "")} rejected (client_secret was ${SECRETS.serviceSecret})`,
        Code.Unauthenticated,
        { "x-echo": sent },
      );
    };
    const client = createClient({ endpoint: server.url, auth, interceptors: [echo], retry: false });
    try {
      const error = await caught(client.listRuns({ project: "p", domain: "d" }));
      expect(error).toBeInstanceOf(AuthenticationError);
      const tokens = auth.secrets().filter((t) => t.startsWith("eyJ"));
      // One token refused, one renewal refused: both are secrets now.
      expect(tokens).toHaveLength(2);
      issuedTokens.push(...tokens);
      expectErrorKeepsSecrets(error, [...tokens, SECRETS.serviceSecret]);
      expect((error as AuthenticationError).rawMessage).toMatch(/token \[REDACTED\] rejected/);
    } finally {
      await client.close();
    }
  });

  it("a wrong secret is InvalidClient, kind user, with a hint about the secret", async () => {
    const wrong = "cs-WRONG-but-still-SECRET-value-77";
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: wrong,
      endpoint: server.url,
    });
    const error = await caught(auth.token());
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("InvalidClient");
    expect(e.kind).toBe("user");
    expect(e.retryable).toBe(false);
    expect(e.hint).toMatch(/client id and secret/);
    expect(e.details.oauthError).toBe("invalid_client");
    expectErrorKeepsSecrets(error, [wrong, ...ALL_SECRETS]);
  });

  it("a provider that echoes the credentials in its error still leaks none of them", async () => {
    const careless = await startCluster({ echoCredentials: true });
    try {
      const wrong = "cs-ECHOED-wrong-SECRET-value-5150";
      const auth = clientCredentials({
        clientId: SERVICE_CLIENT,
        clientSecret: wrong,
        endpoint: careless.server.url,
      });
      const error = await caught(auth.token());
      const e = error as AuthenticationError;
      expect(e.code).toBe("InvalidClient");
      // The echo is there, scrubbed: the message still reads.
      expect(e.rawMessage).toMatch(/decoded flyte-service:\[REDACTED\]/);
      expectErrorKeepsSecrets(error, [wrong, encodeURIComponent(wrong)]);
    } finally {
      await careless.close();
    }
  });

  it("renews a token shortly before it expires, not after a refusal", async () => {
    const short = await startCluster({ accessTokenTtlS: 2 });
    const { provider: shortLived, server: shortServer } = short;
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const client = createClient({ endpoint: shortServer.url, auth });
    try {
      await client.listRuns({ project: "p", domain: "d" });
      const first = await auth.token();
      // Renewal starts when less than half of the 2 s lifetime is left.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await client.listRuns({ project: "p", domain: "d" });
      const second = await auth.token();
      issuedTokens.push(first, second);
      expect(second).not.toBe(first);
      expect(shortServer.auth?.counts().refused).toBe(0);
      expect(shortLived.grants.filter((g) => g === "client_credentials")).toHaveLength(2);
    } finally {
      await client.close();
      await short.close();
    }
  });
});

describe("API keys", () => {
  it("give the endpoint, the org and the client credentials: no endpoint option needed", async () => {
    const key = encodeKey(`${server.url}:${APIKEY_CLIENT}:${SECRETS.apiKeySecret}:acme`);
    const auth = apiKey(key);
    expect(auth.endpoint).toBe(server.url);
    expect(auth.org).toBe("acme");
    const client = createClient({ auth, project: "p", domain: "d" });
    try {
      const run = await client.createRun({ task: { name: "succeed" }, name: "apikey-run-1" });
      expect(run.id.org).toBe("acme");
      await run.wait();
    } finally {
      await client.close();
    }
    expect(server.auth?.subjects.at(-1)).toBe(APIKEY_CLIENT);
    issuedTokens.push(await auth.token());
    expect(auth.secrets()).toEqual(expect.arrayContaining([key, SECRETS.apiKeySecret]));
  });

  it("with a wrong secret fail with InvalidClient and never quote the key", async () => {
    const wrongSecret = "ak-WRONG-apikey-SECRET-0042";
    const key = encodeKey(`${server.url}:${APIKEY_CLIENT}:${wrongSecret}:`);
    const auth = apiKey(key);
    expect(auth.org).toBeUndefined();
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("InvalidClient");
    expectErrorKeepsSecrets(error, [key, wrongSecret, ...ALL_SECRETS]);
  });

  it("split at the last three colons, so endpoints keep their scheme and port", () => {
    const cases: [string, string][] = [
      ["dns:///flyte.example.com:443", "dns:///flyte.example.com:443"],
      ["http://127.0.0.1:8089", "http://127.0.0.1:8089"],
      ["flyte.example.com", "flyte.example.com"],
    ];
    for (const [endpoint, expected] of cases) {
      const parts = decodeApiKey(encodeKey(`${endpoint}:my-client:s3cr3t-value:org1`));
      expect(parts).toEqual({
        endpoint: expected,
        clientId: "my-client",
        clientSecret: "s3cr3t-value",
        org: "org1",
      });
    }
    expect(decodeApiKey(encodeKey("host:id:secret-v:")).org).toBeUndefined();
    expect(decodeApiKey(encodeKey("host:id:secret-v:None")).org).toBeUndefined();
    // URL-safe base64 and stray whitespace, as keys get pasted.
    const urlSafe = Buffer.from("h:i:s?>~-v:o").toString("base64url");
    expect(decodeApiKey(` ${urlSafe}\n`).clientSecret).toBe("s?>~-v");
  });

  it("that are malformed are an InitializationError InvalidApiKey without the key", () => {
    const secretish = "zz-DO-NOT-PRINT-THIS-KEY";
    for (const bad of [
      "%%%not-base64%%%",
      encodeKey(`only:two-${secretish}`),
      encodeKey(`:id:${secretish}:org`),
      Buffer.from([0xff, 0xfe, 0x3a, 0x3a, 0x3a]).toString("base64"),
      "",
    ]) {
      let error: unknown;
      try {
        decodeApiKey(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InitializationError);
      expect((error as InitializationError).code).toBe("InvalidApiKey");
      if (bad !== "") expectErrorKeepsSecrets(error, [bad, secretish]);
    }
  });
});

describe("discovery and unreachable providers", () => {
  it("a server without AuthMetadataService is DiscoveryFailed, saying what is missing", async () => {
    const plain = await startTestServer({ speed: 1000 });
    try {
      const auth = clientCredentials({
        clientId: SERVICE_CLIENT,
        clientSecret: SECRETS.serviceSecret,
        endpoint: plain.url,
      });
      const error = await caught(auth.token());
      expect(error).toBeInstanceOf(AuthenticationError);
      const e = error as AuthenticationError;
      expect(e.code).toBe("DiscoveryFailed");
      expect(e.rawMessage).toMatch(/does not serve flyteidl2\.auth\.AuthMetadataService/);
      expect(e.kind).toBe("user");
      expectErrorKeepsSecrets(error, ALL_SECRETS);
    } finally {
      await plain.close();
    }
  });

  it("no endpoint and no token endpoint is AuthNotConfigured", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
    });
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("AuthNotConfigured");
    expect((error as AuthenticationError).rawMessage).toMatch(/no token endpoint/);
  });

  it("an identity provider that cannot be reached is kind system and retryable", async () => {
    const closed = await startProvider();
    const tokenEndpoint = `${closed.issuer}/token`;
    await closed.close();
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
      tokenEndpoint,
    });
    const error = await caught(auth.token());
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("IdentityProviderUnreachable");
    expect(e.kind).toBe("system");
    expect(e.retryable).toBe(true);
    expect(e.details.network).toBe("ECONNREFUSED");
    expectErrorKeepsSecrets(error, ALL_SECRETS);
  });

  it("the provider's answer is used when tokenEndpoint is given and discovery is skipped", async () => {
    const auth = clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
      tokenEndpoint: `${provider.issuer}/token`,
      scopes: ["all"],
    });
    const token = await auth.token();
    issuedTokens.push(token);
    expect(jwtClaims(token)?.client_id).toBe(SERVICE_CLIENT);
  });
});
