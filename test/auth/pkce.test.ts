/**
 * PKCE end to end: the client discovers the provider through the test server, opens a real
 * headless Chromium at the provider's real sign-in page, receives the code on its one-shot
 * loopback listener, and exchanges it with the verifier; then keeps, renews and forgets the
 * tokens. Declined, hijacked and abandoned sign-ins are typed errors without secrets.
 */

import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type Authenticator,
  type AuthorizationReceiver,
  jwtClaims,
  memoryTokenStore,
  type PkceOptions,
  pkce,
} from "../../src/auth/index.js";
import { fileTokenStore, loopbackReceiver } from "../../src/config/index.js";
import { AuthenticationError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import type { TestServer } from "../../src/testing/index.js";
import { actAsPerson, type Decision, launchBrowser, type TestBrowser } from "./support/browser.js";
import { captureConsole, caught } from "./support/capture.js";
import { expectErrorKeepsSecrets, expectNoSecrets } from "./support/no-secrets.js";
import {
  PUBLIC_CLIENT,
  startCluster,
  type TestCluster,
  type TestProvider,
} from "./support/provider.js";

let cluster: TestCluster;
let provider: TestProvider;
let server: TestServer;
let browser: TestBrowser;
let cacheDir: string;
/** Every secret the suite saw: tokens, verifiers (from the URLs), codes. */
const seen = new Set<string>();
const logged: string[] = [];

beforeAll(async () => {
  // Port 0: the listener takes a free port, as RFC 8252 lets native clients do.
  // A careless provider: its errors quote the refresh token, verifier and code it was sent.
  cluster = await startCluster(
    { echoCredentials: true },
    { redirectUri: "http://127.0.0.1:0/callback" },
  );
  ({ provider, server } = cluster);
  browser = await launchBrowser();
  cacheDir = await mkdtemp(join(tmpdir(), "flyte-remote-tokens-"));
  captureConsole(logged);
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await browser?.close();
  await cluster?.close();
  await rm(cacheDir, { recursive: true, force: true });
  expectNoSecrets(logged, [...seen]);
});

/**
 * A receiver whose "browser" is Chromium acting as the person; remembers the URLs, and the
 * secrets of the sign-in in progress (the PKCE verifier) when the browser opens.
 */
function personAtBrowser(login: string, decision: Decision) {
  const urls: string[] = [];
  const visits: Promise<string>[] = [];
  const watched: Authenticator[] = [];
  const verifiers: string[] = [];
  const receiver = loopbackReceiver({
    openBrowser: (url) => {
      urls.push(url);
      for (const auth of watched) {
        for (const secret of auth.secrets()) {
          seen.add(secret);
          verifiers.push(secret);
        }
      }
      visits.push(actAsPerson(browser, url, { login, decision, issuer: provider.issuer }));
      return true;
    },
    onUrl: () => {},
  });
  return {
    receiver,
    urls,
    visits,
    verifiers,
    watch(auth: Authenticator) {
      watched.push(auth);
      return auth;
    },
  };
}

function signIn(receiver: AuthorizationReceiver, extra: Partial<PkceOptions> = {}): Authenticator {
  return pkce({ endpoint: server.url, receiver, store: memoryTokenStore(), ...extra });
}

function remember(auth: Authenticator): void {
  for (const s of auth.secrets()) seen.add(s);
}

describe("PKCE", () => {
  it("signs in through the browser when the server first refuses, then the call succeeds", async () => {
    const person = personAtBrowser("ada@example.com", "approve");
    const auth = person.watch(signIn(person.receiver));
    const client = createClient({ endpoint: server.url, auth });
    const before = server.auth?.counts() ?? { accepted: 0, refused: 0 };
    try {
      // No token yet: the first try goes without one, and the refusal starts the sign-in.
      await client.listRuns({ project: "p", domain: "d" });
    } finally {
      await client.close();
    }
    const page = await person.visits[0];
    expect(page).toContain("Signed in to Flyte");
    const after = server.auth?.counts() ?? { accepted: 0, refused: 0 };
    expect(after.refused - before.refused).toBe(1);
    expect(after.accepted - before.accepted).toBe(1);
    expect(server.auth?.subjects.at(-1)).toBe("ada@example.com");

    // S256 challenge, a state, the discovered client, and the listener's real port.
    const url = new URL(person.urls[0] ?? "");
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get("client_id")).toBe(PUBLIC_CLIENT);
    expect(url.searchParams.get("redirect_uri")).toMatch(
      /^http:\/\/127\.0\.0\.1:[1-9]\d*\/callback$/,
    );
    const token = await auth.token();
    expect(jwtClaims(token)?.sub).toBe("ada@example.com");
    // The verifier was held during the sign-in, and only then.
    expect(person.verifiers.some((v) => /^[A-Za-z0-9_-]{86}$/.test(v))).toBe(true);
    expect(auth.secrets().some((v) => person.verifiers.includes(v))).toBe(false);
    remember(auth);
  });

  it("renews with the refresh token when the token is about to expire, without the browser", async () => {
    let clock = Date.now();
    const person = personAtBrowser("grace@example.com", "approve");
    const auth = signIn(person.receiver, { now: () => clock });
    const first = await auth.token();
    expect(person.urls).toHaveLength(1);
    const grants = provider.grants.length;
    clock += 3_600_000 - 30_000; // 30 s before the hour-long token expires
    const second = await auth.token();
    expect(second).not.toBe(first);
    expect(provider.grants.slice(grants)).toEqual(["refresh_token"]);
    expect(person.urls).toHaveLength(1);
    remember(auth);
  });

  it("a revoked refresh token is InvalidGrant with a hint to sign in again", async () => {
    let clock = Date.now();
    const person = personAtBrowser("linus@example.com", "approve");
    const auth = signIn(person.receiver, { now: () => clock, signIn: true });
    await auth.token();
    remember(auth);
    const refreshToken = auth.secrets().find((s) => !s.includes(".") && s.length > 20);
    expect(refreshToken).toBeDefined();
    const revoked = await fetch(`${provider.issuer}/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: refreshToken ?? "",
        token_type_hint: "refresh_token",
        client_id: PUBLIC_CLIENT,
      }).toString(),
    });
    expect(revoked.status).toBe(200);
    // A later process that may not open a browser finds the saved sign-in dead.
    const store = memoryTokenStore();
    const held = pkce({ endpoint: server.url, receiver: person.receiver, store, signIn: false });
    const key = { endpoint: server.url, clientId: PUBLIC_CLIENT };
    await store.save(key, {
      accessToken: "expired-access-token-value",
      refreshToken: refreshToken ?? "",
      obtainedAt: clock - 7_200_000,
      expiresAt: clock - 3_600_000,
    });
    clock += 1;
    const error = await caught(held.token());
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("InvalidGrant");
    expect(e.hint).toMatch(/flyte-remote login/);
    expect(await store.load(key)).toBeUndefined();
    expect(e.rawMessage).toMatch(/refresh_token \[REDACTED\]/);
    expectErrorKeepsSecrets(error, [...seen, refreshToken ?? ""]);
  });

  it("keeps tokens in a 0600 file, reuses them in a new process, and forgets them on signOut", async () => {
    const store = fileTokenStore({ dir: join(cacheDir, "tokens") });
    const person = personAtBrowser("barbara@example.com", "approve");
    const auth = signIn(person.receiver, { store });
    const token = await auth.token();
    remember(auth);
    const files = await readdir(store.dir);
    expect(files).toHaveLength(1);
    const file = join(store.dir, files[0] ?? "");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    const entries = await store.list();
    expect(entries[0]?.endpoint).toBe(server.url);
    expect(entries[0]?.clientId).toBe(PUBLIC_CLIENT);

    // Another authenticator (another process) finds the sign-in; no browser this time.
    const nobody = personAtBrowser("nobody", "decline");
    const later = signIn(nobody.receiver, { store });
    const grants = provider.grants.length;
    expect(await later.tokenIfSignedIn?.()).toBe(token);
    expect(await later.token()).toBe(token);
    expect(nobody.urls).toHaveLength(0);
    expect(provider.grants.length).toBe(grants);

    await later.signOut?.();
    expect(await readdir(store.dir)).toHaveLength(0);
    expect(await signIn(nobody.receiver, { store }).tokenIfSignedIn?.()).toBeUndefined();
  });

  it("a declined sign-in is AccessDenied, kind user, and nothing is retried", async () => {
    const person = personAtBrowser("mallory@example.com", "decline");
    const auth = person.watch(signIn(person.receiver));
    const client = createClient({ endpoint: server.url, auth });
    let error: unknown;
    try {
      error = await caught(client.listRuns({ project: "p", domain: "d" }));
    } finally {
      await client.close();
    }
    expect(await person.visits[0]).toContain("Sign-in did not complete");
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("AccessDenied");
    expect(e.kind).toBe("user");
    expect(e.retryable).toBe(false);
    expect(e.hint).toMatch(/declined/);
    expect(person.verifiers.length).toBeGreaterThan(0);
    expectErrorKeepsSecrets(error, [...seen, ...person.verifiers]);
  });

  it("a redirect with another state is StateMismatch, and the code is not exchanged", async () => {
    const grants = provider.grants.length;
    const foreign: AuthorizationReceiver = {
      async open(redirectUri) {
        return {
          redirectUri,
          complete: async () =>
            new URLSearchParams({ code: "stolen-code-value-0123456789", state: "someone-else" }),
          close: async () => {},
        };
      },
    };
    const auth = pkce({
      endpoint: server.url,
      receiver: foreign,
      redirectUri: "http://127.0.0.1:1/callback",
    });
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("StateMismatch");
    expect(provider.grants.length).toBe(grants);
    expectErrorKeepsSecrets(error, ["stolen-code-value-0123456789"]);
  });

  it("nobody signing in is SignInTimedOut, and the listener is closed", async () => {
    const urls: string[] = [];
    const receiver = loopbackReceiver({
      openBrowser: (url) => {
        urls.push(url);
        return false;
      },
      onUrl: () => {},
    });
    const auth = signIn(receiver, { timeoutMs: 300 });
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("SignInTimedOut");
    const redirect = new URL(urls[0] ?? "").searchParams.get("redirect_uri") ?? "";
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it("a sign-in that is not allowed to ask anyone is SignInRequired", async () => {
    const person = personAtBrowser("x", "approve");
    const auth = signIn(person.receiver, { signIn: false });
    expect(await auth.tokenIfSignedIn?.()).toBeUndefined();
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("SignInRequired");
    expect((error as AuthenticationError).hint).toMatch(/flyte-remote login/);
    expect(person.urls).toHaveLength(0);
  });
});
