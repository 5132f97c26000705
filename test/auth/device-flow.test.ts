/**
 * The device flow end to end against a real provider: the client shows a URL and a code,
 * a person (headless Chromium) approves or declines on the provider's pages, and the client
 * polls the token endpoint at the interval RFC 8628 asks for, slowing down when told.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type Authenticator,
  type DeviceFlowOptions,
  type DevicePrompt,
  deviceFlow,
  jwtClaims,
} from "../../src/auth/index.js";
import { AuthenticationError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { actAsPerson, type Decision, launchBrowser, type TestBrowser } from "./support/browser.js";
import { captureConsole, caught } from "./support/capture.js";
import { expectErrorKeepsSecrets, expectNoSecrets } from "./support/no-secrets.js";
import {
  type ProviderOptions,
  PUBLIC_CLIENT,
  startCluster,
  type TestCluster,
} from "./support/provider.js";

let browser: TestBrowser;
const seen = new Set<string>();
const logged: string[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  captureConsole(logged);
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  for (const close of closers.reverse()) await close();
  await browser?.close();
  expectNoSecrets(logged, [...seen]);
});

/** A cluster that is closed after the suite. */
async function cluster(options: ProviderOptions): Promise<TestCluster> {
  const started = await startCluster(options);
  closers.push(() => started.close());
  return started;
}

/**
 * The device flow with a person who acts on the prompt: the prompt is where the URL and the
 * code are shown, and the device code is among the secrets while it is polled.
 */
function withPerson(
  setup: TestCluster,
  login: string,
  decision: Decision | "nobody",
  extra: Partial<DeviceFlowOptions> = {},
) {
  const prompts: DevicePrompt[] = [];
  const visits: Promise<string>[] = [];
  let auth: Authenticator | undefined;
  auth = deviceFlow({
    endpoint: setup.server.url,
    prompt: (prompt) => {
      prompts.push(prompt);
      for (const s of auth?.secrets() ?? []) seen.add(s);
      if (decision !== "nobody") {
        visits.push(
          actAsPerson(browser, prompt.verificationUriComplete ?? prompt.verificationUri, {
            login,
            decision,
            issuer: setup.provider.issuer,
          }),
        );
      }
    },
    ...extra,
  });
  return { auth, prompts, visits };
}

describe("device flow", () => {
  it("shows the code, polls at the server's interval, and the call succeeds once approved", async () => {
    const setup = await cluster({ deviceInterval: 1 });
    const { auth, prompts, visits } = withPerson(setup, "katherine@example.com", "approve");
    const client = createClient({ endpoint: setup.server.url, auth });
    try {
      await client.listRuns({ project: "p", domain: "d" });
    } finally {
      await client.close();
    }
    await Promise.all(visits);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.userCode).toMatch(/\S{4,}/);
    expect(prompts[0]?.verificationUri).toBe(`${setup.provider.issuer}/device`);
    expect(setup.server.auth?.subjects.at(-1)).toBe("katherine@example.com");
    // The scopes discovery listed were asked for.
    expect(setup.provider.deviceScopes).toEqual(["all"]);
    const start = setup.provider.deviceStarts[0] ?? 0;
    const polls = setup.provider.polls;
    expect(polls.at(-1)?.answer).toBe("tokens");
    // The first poll waits one interval; so does every next one.
    expect((polls[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(950);
    for (let i = 1; i < polls.length; i++) {
      expect((polls[i]?.at ?? 0) - (polls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    }
    const token = await auth.token();
    expect(jwtClaims(token)?.sub).toBe("katherine@example.com");
    for (const s of auth.secrets()) seen.add(s);
  });

  it.concurrent("polls every 5 s when the server gives no interval", async () => {
    const setup = await cluster({});
    const { auth, visits } = withPerson(setup, "edsger@example.com", "approve");
    const token = await auth.token();
    await Promise.all(visits);
    for (const s of auth.secrets()) seen.add(s);
    expect(token).not.toBe("");
    const start = setup.provider.deviceStarts[0] ?? 0;
    expect((setup.provider.polls[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(4_950);
  });

  it.concurrent("widens the interval by 5 s for good after slow_down", async () => {
    const setup = await cluster({ deviceInterval: 1, slowDownFirstPoll: true });
    const { auth, visits } = withPerson(setup, "frances@example.com", "approve");
    await auth.token();
    await Promise.all(visits);
    for (const s of auth.secrets()) seen.add(s);
    const polls = setup.provider.polls;
    expect(polls[0]?.answer).toBe("slow_down");
    expect(polls.at(-1)?.answer).toBe("tokens");
    for (let i = 1; i < polls.length; i++) {
      expect((polls[i]?.at ?? 0) - (polls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(5_950);
    }
  });

  it.concurrent("a declined approval is AccessDenied, and the device code never leaks", async () => {
    const setup = await cluster({ deviceInterval: 1, echoCredentials: true });
    const { auth, visits } = withPerson(setup, "eve@example.com", "decline");
    const error = await caught(auth.token());
    await Promise.all(visits);
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("AccessDenied");
    expect(e.details.oauthError).toBe("access_denied");
    expect(e.kind).toBe("user");
    // The provider quoted the device code; it is scrubbed.
    expect(e.rawMessage).toMatch(/device_code \[REDACTED\]/);
    expectErrorKeepsSecrets(error, [...seen]);
  });

  it.concurrent("a code nobody approves in time is DeviceCodeExpired: start again", async () => {
    const setup = await cluster({ deviceInterval: 1, deviceCodeTtlS: 2, echoCredentials: true });
    const { auth, prompts } = withPerson(setup, "", "nobody");
    const error = await caught(auth.token());
    expect(prompts).toHaveLength(1);
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("DeviceCodeExpired");
    expect(e.hint).toMatch(/Start again/);
    expectErrorKeepsSecrets(error, [...seen]);
  });

  it("a provider without the device flow is AuthNotConfigured, naming what is missing", async () => {
    const setup = await cluster({});
    const auth = deviceFlow({
      endpoint: setup.server.url,
      deviceAuthorizationEndpoint: undefined,
      tokenEndpoint: `${setup.provider.issuer}/token`,
      clientId: PUBLIC_CLIENT,
      fetch: async (input, init) => {
        // A cluster whose discovery lists no device endpoint.
        const response = await fetch(input, init);
        if (!String(input).includes("GetOAuth2Metadata")) return response;
        return new Response(new Uint8Array(), {
          status: 200,
          headers: { "content-type": "application/proto" },
        });
      },
      prompt: () => {},
    });
    const error = await caught(auth.token());
    expect((error as AuthenticationError).code).toBe("AuthNotConfigured");
    expect((error as AuthenticationError).rawMessage).toMatch(/device authorization endpoint/);
  });
});
