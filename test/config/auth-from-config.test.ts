/**
 * From a config file to a signed-in client: the client secret from a file or a variable,
 * an external command, an API key in the environment, and identity providers behind a
 * private CA. Real provider, real processes, real TLS.
 */

import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientCredentials, jwtClaims } from "../../src/auth/index.js";
import {
  authFromConfig,
  clientOptionsFromConfig,
  createClientFromConfig,
  createTlsFetch,
  type FlyteConfig,
} from "../../src/config/index.js";
import { AuthenticationError, InitializationError } from "../../src/errors/index.js";
import { createClient } from "../../src/index.node.js";
import { captureConsole, caught } from "../auth/support/capture.js";
import { expectErrorKeepsSecrets, expectNoSecrets } from "../auth/support/no-secrets.js";
import {
  APIKEY_CLIENT,
  SECRETS,
  SERVICE_CLIENT,
  startCluster,
  startProvider,
  type TestCluster,
} from "../auth/support/provider.js";
import { makePrivateCa, type PrivateCa } from "./support/certificates.js";

let cluster: TestCluster;
let dir: string;
const logged: string[] = [];
const tokens: string[] = [];
const ALL = [SECRETS.serviceSecret, SECRETS.apiKeySecret];

beforeAll(async () => {
  cluster = await startCluster();
  dir = await mkdtemp(join(tmpdir(), "flyte-remote-cfg-"));
  captureConsole(logged);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
  expectNoSecrets(logged, [...ALL, ...tokens]);
});

/** Config settings as loadFlyteConfig returns them. */
function config(extra: Partial<FlyteConfig>): FlyteConfig {
  return { endpoint: cluster.server.url, insecure: true, insecureSkipVerify: false, ...extra };
}

describe("ClientSecret", () => {
  it("reads the secret from admin.clientSecretLocation, trailing newline and all", async () => {
    const file = join(dir, "client_secret");
    await writeFile(file, `${SECRETS.serviceSecret}\n`, { mode: 0o600 });
    // No authType: a configured secret means ClientSecret, as in the Python SDK.
    const auth = await authFromConfig(
      config({ clientId: SERVICE_CLIENT, clientSecretLocation: file }),
      { env: {} },
    );
    const token = (await auth?.token()) ?? "";
    tokens.push(token);
    expect(jwtClaims(token)?.client_id).toBe(SERVICE_CLIENT);
    expect(auth?.secrets()).toContain(SECRETS.serviceSecret);
  });

  it("reads the secret from the variable admin.clientSecretEnvVar names", async () => {
    const auth = await authFromConfig(
      config({
        authType: "ClientSecret",
        clientId: SERVICE_CLIENT,
        clientSecretEnvVar: "CI_SECRET",
      }),
      { env: { CI_SECRET: SECRETS.serviceSecret } },
    );
    tokens.push((await auth?.token()) ?? "");
    expect(jwtClaims(tokens.at(-1) ?? "")?.client_id).toBe(SERVICE_CLIENT);
  });

  it("without a client id or secret is InvalidConfig naming the keys, never the secret", async () => {
    const error = await caught(
      authFromConfig(config({ authType: "ClientSecret", clientSecretEnvVar: "CI_SECRET" }), {
        env: { CI_SECRET: SECRETS.serviceSecret },
      }),
    );
    expect(error).toBeInstanceOf(InitializationError);
    expect((error as InitializationError).rawMessage).toMatch(/admin\.clientId/);
    expectErrorKeepsSecrets(error, ALL);
    const unset = await caught(
      authFromConfig(
        config({ authType: "ClientSecret", clientId: "x", clientSecretEnvVar: "CI_SECRET" }),
        { env: {} },
      ),
    );
    expect((unset as InitializationError).rawMessage).toMatch(/CI_SECRET is not set/);
    const unreadable = await caught(
      authFromConfig(config({ clientId: "x", clientSecretLocation: join(dir, "missing") }), {
        env: {},
      }),
    );
    expect((unreadable as InitializationError).rawMessage).toMatch(/clientSecretLocation .*ENOENT/);
  });
});

describe("ExternalCommand", () => {
  it("uses what the command prints, and runs it again after a refusal", async () => {
    const script = join(dir, "mint.mjs");
    const counter = join(dir, "count");
    await writeFile(counter, "0");
    // A real process that mints a token from the provider with the service's credentials.
    await writeFile(
      script,
      `import { readFileSync, writeFileSync } from "node:fs";
const n = Number(readFileSync(${JSON.stringify(counter)}, "utf8")) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
const basic = Buffer.from("${SERVICE_CLIENT}:" + process.env.MINT_SECRET).toString("base64");
const r = await fetch(${JSON.stringify(`${cluster.provider.issuer}/token`)}, {
  method: "POST",
  headers: { authorization: "Basic " + basic, "content-type": "application/x-www-form-urlencoded" },
  body: "grant_type=client_credentials&scope=all",
});
console.log((await r.json()).access_token);
`,
    );
    const settings = await clientOptionsFromConfig({
      cwd: dir,
      home: dir,
      env: {
        FLYTE_ADMIN_ENDPOINT: cluster.server.url,
        FLYTE_ADMIN_AUTHTYPE: "ExternalCommand",
        FLYTE_ADMIN_COMMAND: `${process.execPath} ${script}`,
        MINT_SECRET: SECRETS.serviceSecret,
        PATH: process.env.PATH,
      },
    });
    const auth = settings.options.auth;
    expect(auth).toBeDefined();
    const client = createClient(settings.options);
    try {
      await client.listRuns({ project: "p", domain: "d" });
      const first = (await auth?.token()) ?? "";
      tokens.push(first);
      cluster.server.auth?.revoke(first);
      await client.listRuns({ project: "p", domain: "d" });
      tokens.push(...(auth?.secrets() ?? []));
    } finally {
      await client.close();
    }
    expect(await readFile(counter, "utf8")).toBe("2");
  });

  it("a failing command is TokenCommandFailed, quoting its stderr but never its output", async () => {
    const script = join(dir, "fail.sh");
    await writeFile(
      script,
      "#!/bin/sh\necho 'tok-PRINTED-but-failed-1234'\necho 'vault: permission denied' >&2\nexit 3\n",
    );
    await chmod(script, 0o755);
    const auth = await authFromConfig(config({ authType: "ExternalCommand", command: [script] }), {
      env: {},
    });
    const error = await caught(auth?.token() ?? Promise.resolve());
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("TokenCommandFailed");
    expect(e.rawMessage).toMatch(/exited with status 3: vault: permission denied/);
    expectErrorKeepsSecrets(error, ["tok-PRINTED-but-failed-1234"]);
    const silent = await authFromConfig(
      config({ authType: "ExternalCommand", command: ["true"] }),
      {
        env: {},
      },
    );
    expect(
      ((await caught(silent?.token() ?? Promise.resolve())) as AuthenticationError).rawMessage,
    ).toMatch(/printed nothing/);
    const absent = await authFromConfig(
      config({ authType: "ExternalCommand", command: [join(dir, "no-such-command")] }),
      { env: {} },
    );
    expect(
      ((await caught(absent?.token() ?? Promise.resolve())) as AuthenticationError).rawMessage,
    ).toMatch(/was not found/);
  });
});

describe("API keys in the environment", () => {
  it("FLYTE_API_KEY wins over the config's auth, and UNION_API_KEY is its alias", async () => {
    const key = Buffer.from(
      `${cluster.server.url}:${APIKEY_CLIENT}:${SECRETS.apiKeySecret}:acme`,
    ).toString("base64");
    for (const name of ["FLYTE_API_KEY", "UNION_API_KEY"]) {
      const settings = await clientOptionsFromConfig({
        cwd: dir,
        home: dir,
        env: { [name]: key, FLYTE_ADMIN_AUTHTYPE: "Pkce", FLYTE_TASK_PROJECT: "p" },
      });
      expect(settings.options.endpoint).toBe(cluster.server.url);
      expect(settings.options.auth?.org).toBe("acme");
      expect(settings.options.project).toBe("p");
      const token = (await settings.options.auth?.token()) ?? "";
      tokens.push(token);
      expect(jwtClaims(token)?.client_id).toBe(APIKEY_CLIENT);
    }
  });

  it("a FLYTE_API_KEY that is not an API key is InvalidApiKey, not a bearer token", async () => {
    const raw = "raw-bearer-token-that-is-not-a-key";
    const error = await caught(
      clientOptionsFromConfig({ cwd: dir, home: dir, env: { FLYTE_API_KEY: raw } }),
    );
    expect((error as InitializationError).code).toBe("InvalidApiKey");
    expectErrorKeepsSecrets(error, [raw]);
  });
});

describe("a private CA", () => {
  let ca: PrivateCa;
  let tlsProvider: Awaited<ReturnType<typeof startProvider>>;

  beforeAll(async () => {
    ca = await makePrivateCa();
    tlsProvider = await startProvider({ tls: { key: ca.key, cert: ca.cert, host: "127.0.0.1" } });
  });

  afterAll(async () => {
    await tlsProvider?.close();
    await ca?.close();
  });

  const service = (extra: object) =>
    clientCredentials({
      clientId: SERVICE_CLIENT,
      clientSecret: SECRETS.serviceSecret,
      tokenEndpoint: `${tlsProvider.issuer}/token`,
      scopes: ["all"],
      ...extra,
    });

  it("without the CA, the provider's certificate is CertificateInvalid, not retryable, naming the options", async () => {
    const error = await caught(service({}).token());
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.code).toBe("CertificateInvalid");
    expect(e.retryable).toBe(false);
    expect(e.hint).toMatch(/admin\.caCertFilePath/);
    expect(e.hint).toMatch(/admin\.insecureSkipVerify/);
    expectErrorKeepsSecrets(error, ALL);
  });

  it("admin.caCertFilePath makes it trusted, besides the system's CAs", async () => {
    const token = await service({ fetch: createTlsFetch({ caCertFile: ca.caCertFile }) }).token();
    tokens.push(token);
    expect(jwtClaims(token)?.iss).toBe(tlsProvider.issuer);
  });

  it("admin.insecureSkipVerify accepts it", async () => {
    const token = await service({ fetch: createTlsFetch({ insecureSkipVerify: true }) }).token();
    tokens.push(token);
    expect(jwtClaims(token)?.client_id).toBe(SERVICE_CLIENT);
  });

  it("an unreadable CA file is an InitializationError that names the key", async () => {
    const error = await caught(
      service({ fetch: createTlsFetch({ caCertFile: join(ca.dir, "absent.pem") }) }).token(),
    );
    expect(error).toBeInstanceOf(InitializationError);
    expect((error as InitializationError).code).toBe("InvalidCaCertFile");
    expect((error as InitializationError).rawMessage).toMatch(/admin\.caCertFilePath/);
  });

  it("the config's CA reaches discovery and the identity provider; without it the call fails typed", async () => {
    // A cluster whose identity provider has a certificate from the private CA.
    const tlsCluster = await startCluster(
      { tls: { key: ca.key, cert: ca.cert, host: "127.0.0.1" } },
      {},
      createTlsFetch({ caCertFile: ca.caCertFile }),
    );
    try {
      const secretFile = join(dir, "tls_secret");
      await writeFile(secretFile, SECRETS.serviceSecret);
      const lines = [
        "admin:",
        `  endpoint: ${tlsCluster.server.url}`,
        `  clientId: ${SERVICE_CLIENT}`,
        `  clientSecretLocation: ${secretFile}`,
      ];
      const trusting = join(dir, "tls.yaml");
      await writeFile(trusting, [...lines, `  caCertFilePath: ${ca.caCertFile}`, ""].join("\n"));
      const settings = await clientOptionsFromConfig({ config: trusting, env: {} });
      expect(settings.tls).toEqual({ caCertFile: ca.caCertFile });
      const client = await createClientFromConfig({ config: trusting, env: {} });
      try {
        await client.listRuns({ project: "p", domain: "d" });
      } finally {
        await client.close();
      }
      expect(tlsCluster.server.auth?.subjects.at(-1)).toBe(SERVICE_CLIENT);

      const plain = join(dir, "plain.yaml");
      await writeFile(plain, [...lines, ""].join("\n"));
      const untrusting = await createClientFromConfig({ config: plain, env: {} });
      try {
        const error = await caught(untrusting.listRuns({ project: "p", domain: "d" }));
        expect((error as AuthenticationError).code).toBe("CertificateInvalid");
        expectErrorKeepsSecrets(error, ALL);
      } finally {
        await untrusting.close();
      }
    } finally {
      await tlsCluster.close();
    }
  });
});

describe("createClientFromConfig", () => {
  it("connects with a config file written the way `flyte` writes it", async () => {
    const secretFile = join(dir, "secret");
    await writeFile(secretFile, SECRETS.serviceSecret);
    const file = join(dir, "config.yaml");
    await writeFile(
      file,
      [
        "admin:",
        `  endpoint: dns:///${new URL(cluster.server.url).host}`,
        "  insecure: true",
        "  authType: ClientSecret",
        `  clientId: ${SERVICE_CLIENT}`,
        `  clientSecretLocation: ${secretFile}`,
        "task:",
        "  project: flytesnacks",
        "  domain: development",
        "",
      ].join("\n"),
    );
    const client = await createClientFromConfig({ config: file, env: {} });
    try {
      const run = await client.createRun({ task: { name: "succeed" }, name: "from-config-1" });
      expect(run.id.project).toBe("flytesnacks");
      expect((await run.wait()).phaseName).toBe("SUCCEEDED");
    } finally {
      await client.close();
    }
    expect(cluster.server.auth?.subjects.at(-1)).toBe(SERVICE_CLIENT);
  });
});
