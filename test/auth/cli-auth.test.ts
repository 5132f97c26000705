/**
 * The CLI against a cluster that requires real tokens, configured the way the Python `flyte`
 * CLI configures it: `wait` with a service's config file, `login` through the device flow and
 * through the browser (Chromium as the person), `whoami`, `logout`, and `FLYTE_API_KEY`.
 * The built CLI runs as a subprocess with its own HOME and cache directory.
 */

import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runBuiltCli, startCli } from "../cli/built-cli.js";
import { actAsPerson, launchBrowser, type TestBrowser } from "./support/browser.js";
import { expectNoSecrets } from "./support/no-secrets.js";
import {
  APIKEY_CLIENT,
  PUBLIC_CLIENT,
  SECRETS,
  SERVICE_CLIENT,
  startCluster,
  type TestCluster,
} from "./support/provider.js";

let cluster: TestCluster;
let browser: TestBrowser;
let root: string;
const outputs: string[] = [];

beforeAll(async () => {
  cluster = await startCluster(
    { deviceInterval: 1 },
    { redirectUri: "http://127.0.0.1:0/callback" },
  );
  browser = await launchBrowser();
  root = await mkdtemp(join(tmpdir(), "flyte-remote-cli-auth-"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.close();
  await rm(root, { recursive: true, force: true });
  // Nothing the CLI printed, in any test, holds a credential.
  expectNoSecrets(outputs, [SECRETS.serviceSecret, SECRETS.apiKeySecret]);
});

/** A user with their own HOME and cache directory, and a Flyte config in ~/.flyte. */
async function user(name: string, configLines: readonly string[]) {
  const home = join(root, name);
  await mkdir(join(home, ".flyte"), { recursive: true });
  await writeFile(join(home, ".flyte", "config.yaml"), `${configLines.join("\n")}\n`);
  const env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    // A browser that does nothing: the test's Chromium plays the person instead.
    BROWSER: "true",
  };
  return {
    home,
    env,
    tokenDir: join(home, ".cache", "flyte-remote", "tokens"),
    async cli(args: readonly string[], extra: Record<string, string> = {}): Promise<CliResult> {
      const result = await runBuiltCli(args, { env: { ...env, ...extra } });
      outputs.push(result.stdout, result.stderr);
      return result;
    },
  };
}

/** The lines `flyte create config` writes for an endpoint, plus the given admin keys. */
function flyteConfig(admin: readonly string[]): string[] {
  return [
    "admin:",
    `  endpoint: dns:///${new URL(cluster.server.url).host}`,
    "  insecure: true",
    ...admin.map((line) => `  ${line}`),
    "task:",
    "  project: flytesnacks",
    "  domain: development",
  ];
}

function createRun(name: string, scenario: string): void {
  cluster.server.runs.create({ name, scenario, project: "flytesnacks", domain: "development" });
}

describe("a service's config file", () => {
  it("`wait <run>` signs in with the client secret and reports the outcome", async () => {
    const ci = await user("ci", [
      ...flyteConfig([
        "authType: ClientSecret",
        `clientId: ${SERVICE_CLIENT}`,
        "clientSecretEnvVar: CI_FLYTE_SECRET",
      ]),
    ]);
    createRun("cli-ok", "succeed");
    createRun("cli-oom", "oom");
    const before = cluster.server.auth?.counts().accepted ?? 0;
    const ok = await ci.cli(["wait", "cli-ok"], { CI_FLYTE_SECRET: SECRETS.serviceSecret });
    expect(ok.stderr).not.toMatch(/Error/);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^✓ run cli-ok SUCCEEDED/);
    expect((cluster.server.auth?.counts().accepted ?? 0) - before).toBeGreaterThan(0);
    expect(cluster.server.auth?.subjects.at(-1)).toBe(SERVICE_CLIENT);
    const oom = await ci.cli(["wait", "cli-oom", "--json", "-q"], {
      CI_FLYTE_SECRET: SECRETS.serviceSecret,
    });
    expect(oom.code).toBe(1);
    expect(JSON.parse(oom.stdout)).toMatchObject({ code: "OOMKilled", kind: "user" });

    const who = await ci.cli(["whoami", "--json"], { CI_FLYTE_SECRET: SECRETS.serviceSecret });
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      endpoint: `http://${new URL(cluster.server.url).host}`,
      signedIn: true,
      principal: SERVICE_CLIENT,
      issuer: cluster.provider.issuer,
    });
    // A service's tokens are not written anywhere.
    await expect(readdir(ci.tokenDir)).rejects.toThrow();
  });

  it("`explain --run` reads the run's failure from the cluster with the same config", async () => {
    const ci = await user("ci-explain", [
      ...flyteConfig([`clientId: ${SERVICE_CLIENT}`, "clientSecretEnvVar: CI_FLYTE_SECRET"]),
    ]);
    createRun("cli-explain-oom", "oom");
    const waited = await ci.cli(["wait", "cli-explain-oom", "-q"], {
      CI_FLYTE_SECRET: SECRETS.serviceSecret,
    });
    expect(waited.code).toBe(1);
    const result = await ci.cli(["explain", "--run", "cli-explain-oom"], {
      CI_FLYTE_SECRET: SECRETS.serviceSecret,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Decoded as ActionDetails/);
    expect(result.stdout).toMatch(/class +OOMError/);
    const both = await ci.cli(["explain", "x.pb", "--run", "y"]);
    expect(both.code).toBe(64);
  });

  it("a wrong secret exits 7 with AuthenticationError InvalidClient, printing no secret", async () => {
    const wrong = "cs-WRONG-cli-SECRET-never-print";
    const ci = await user("ci-wrong", [
      ...flyteConfig([`clientId: ${SERVICE_CLIENT}`, "clientSecretEnvVar: CI_FLYTE_SECRET"]),
    ]);
    createRun("cli-wrong", "succeed");
    const result = await ci.cli(["wait", "cli-wrong"], { CI_FLYTE_SECRET: wrong });
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/AuthenticationError/);
    expect(result.stderr).toMatch(/client id and secret/);
    expectNoSecrets([result.stdout, result.stderr], [wrong]);
  });

  it("an unknown authType exits 1 naming the file and the key", async () => {
    const bad = await user("bad", flyteConfig(["authType: Kerberos"]));
    const result = await bad.cli(["wait", "anything"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(bad.home, ".flyte", "config.yaml"));
    expect(result.stderr).toContain("admin.authType 'Kerberos'");
  });
});

describe("FLYTE_API_KEY", () => {
  it("is decoded as an API key: endpoint and credentials, no config needed", async () => {
    const key = Buffer.from(
      `${cluster.server.url}:${APIKEY_CLIENT}:${SECRETS.apiKeySecret}:`,
    ).toString("base64");
    const nobody = await user("apikey", ["{}"]);
    createRun("cli-key", "succeed");
    const result = await nobody.cli(
      ["wait", "cli-key", "--project", "flytesnacks", "--domain", "development"],
      {
        FLYTE_API_KEY: key,
      },
    );
    expect(result.code).toBe(0);
    expect(cluster.server.auth?.subjects.at(-1)).toBe(APIKEY_CLIENT);
    expectNoSecrets([result.stdout, result.stderr], [key]);
  });
});

describe("a person's sign-in", () => {
  it("login --device, then wait, whoami and logout use and forget the kept sign-in", async () => {
    const ada = await user("ada", flyteConfig(["authType: Pkce"]));
    const login = await startCli(["login", "--device"], { env: ada.env });
    const prompt = await login.waitFor(
      "stderr",
      /open (\S+) in a browser and enter the code (\S+)/,
    );
    const [, , code] = prompt;
    expect(code).toMatch(/\S{4,}/);
    const complete = (await login.waitFor("stderr", /\(or open (\S+)\)/))[1] ?? "";
    await actAsPerson(browser, complete, {
      login: "ada@example.com",
      decision: "approve",
      issuer: cluster.provider.issuer,
    });
    const done = await login.done;
    outputs.push(done.stdout, done.stderr);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /^Signed in to http:\/\/127\.0\.0\.1:\d+ as ada@example\.com with DeviceFlow/,
    );

    const files = await readdir(ada.tokenDir);
    expect(files).toHaveLength(1);
    expect((await stat(join(ada.tokenDir, files[0] ?? ""))).mode & 0o777).toBe(0o600);

    createRun("cli-ada", "succeed");
    const waited = await ada.cli(["wait", "cli-ada"]);
    expect(waited.code).toBe(0);
    expect(cluster.server.auth?.subjects.at(-1)).toBe("ada@example.com");

    const who = await ada.cli(["whoami"]);
    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(/^principal +ada@example\.com$/m);
    expect(who.stdout).toMatch(/^expires +\d{4}-\d\d-\d\dT.* \(in /m);
    expect(who.stdout).not.toMatch(/eyJ/);

    const out = await ada.cli(["logout"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/forgot 1 kept sign-in/);
    expect(await readdir(ada.tokenDir)).toEqual([]);

    const anonymous = await ada.cli(["whoami"]);
    expect(anonymous.code).toBe(7);
    expect(anonymous.stdout).toMatch(/Not signed in .* Run `flyte-remote login` first/);
    // A script (no terminal) is never asked to sign in: the refusal says how to.
    createRun("cli-ada-2", "succeed");
    const refused = await ada.cli(["wait", "cli-ada-2"]);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/AuthenticationError/);
    expect(refused.stderr).toMatch(/flyte-remote login/);
  });

  it("login through the browser (PKCE) receives the code on 127.0.0.1", async () => {
    const grace = await user("grace", flyteConfig([`clientId: ${PUBLIC_CLIENT}`]));
    const login = await startCli(["login"], { env: grace.env });
    const url = (await login.waitFor("stderr", /go to:\n {2}(\S+)/))[1] ?? "";
    expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");
    const page = await actAsPerson(browser, url, {
      login: "grace@example.com",
      decision: "approve",
      issuer: cluster.provider.issuer,
    });
    expect(page).toContain("Signed in to Flyte");
    const done = await login.done;
    outputs.push(done.stdout, done.stderr);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/as grace@example\.com with Pkce/);
    const who = await grace.cli(["whoami", "--json"]);
    expect(JSON.parse(who.stdout)).toMatchObject({
      principal: "grace@example.com",
      signedIn: true,
    });
  });

  it("a declined browser sign-in exits 7 with AccessDenied", async () => {
    const mallory = await user("mallory", flyteConfig([]));
    const login = await startCli(["login"], { env: mallory.env });
    const url = (await login.waitFor("stderr", /go to:\n {2}(\S+)/))[1] ?? "";
    await actAsPerson(browser, url, {
      login: "mallory@example.com",
      decision: "decline",
      issuer: cluster.provider.issuer,
    });
    const done = await login.done;
    outputs.push(done.stdout, done.stderr);
    expect(done.code).toBe(7);
    expect(done.stderr).toMatch(/AuthenticationError \(user\): .*access_denied/);
    expect(done.stderr).toMatch(/hint: The sign-in was declined/);
  });
});
