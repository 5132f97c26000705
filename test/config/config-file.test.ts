/**
 * The Flyte config file as the Python `flyte` CLI finds and reads it: the search order, the
 * keys, the `FLYTE_*` overrides, and a clear typed error naming the file (or variable) and
 * the key for anything that cannot be used.
 */

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CONFIG_KEYS,
  endpointFromConfig,
  envNameOf,
  findConfigFile,
  loadFlyteConfig,
  tlsFromConfig,
} from "../../src/config/index.js";
import { splitCommandLine } from "../../src/config/split-command-line.js";
import { InitializationError } from "../../src/errors/index.js";

let root: string;
let home: string;
let repo: string;
let cwd: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "flyte-remote-config-"));
  home = join(root, "home");
  repo = join(root, "repo");
  cwd = join(repo, "pkg", "sub");
  await mkdir(home, { recursive: true });
  await mkdir(cwd, { recursive: true });
  await mkdir(join(repo, ".git"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

async function rejected(promise: Promise<unknown>): Promise<InitializationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InitializationError);
    return error as InitializationError;
  }
  throw new Error("expected a rejection");
}

describe("the search order", () => {
  it("is the explicit path, ./config.yaml, ./.flyte, the git root, UCTL_CONFIG, FLYTECTL_CONFIG, ~/.union, ~/.flyte", async () => {
    const places = [
      { from: "~/.flyte/config.yaml", path: join(home, ".flyte", "config.yaml"), env: {} },
      { from: "~/.union/config.yaml", path: join(home, ".union", "config.yaml"), env: {} },
      {
        from: "FLYTECTL_CONFIG",
        path: join(root, "flytectl.yaml"),
        env: { FLYTECTL_CONFIG: join(root, "flytectl.yaml") },
      },
      {
        from: "UCTL_CONFIG",
        path: join(root, "uctl.yaml"),
        env: { UCTL_CONFIG: join(root, "uctl.yaml") },
      },
      { from: "the git root", path: join(repo, ".flyte", "config.yaml"), env: {} },
      { from: "./.flyte/config.yaml", path: join(cwd, ".flyte", "config.yaml"), env: {} },
      { from: "./config.yaml", path: join(cwd, "config.yaml"), env: {} },
    ];
    let env: Record<string, string> = {};
    // Each place added wins over every place added before it.
    for (const place of places) {
      await put(place.path, `admin:\n  endpoint: dns:///${place.from.replace(/[^a-z]/gi, "")}\n`);
      env = { ...env, ...place.env };
      const found = await findConfigFile({ cwd, env, home });
      expect(found).toEqual({ path: place.path, from: place.from });
    }
    const explicit = await put(join(root, "explicit.yaml"), "admin: {}\n");
    expect(await findConfigFile({ cwd, env, home, path: explicit })).toEqual({
      path: explicit,
      from: "--config",
    });
  });

  it("finds nothing when there is nothing, and the environment alone is read", async () => {
    expect(await findConfigFile({ cwd, env: {}, home })).toBeUndefined();
    const config = await loadFlyteConfig({
      cwd,
      home,
      env: { FLYTE_ADMIN_ENDPOINT: "flyte.example.com", FLYTE_TASK_PROJECT: "ml" },
    });
    expect(config).toEqual({
      endpoint: "flyte.example.com",
      project: "ml",
      insecure: false,
      insecureSkipVerify: false,
    });
  });

  it("a path that was named but does not exist is ConfigNotFound, naming where it came from", async () => {
    const missing = join(root, "nope.yaml");
    const explicit = await rejected(findConfigFile({ cwd, env: {}, home, path: missing }));
    expect(explicit.code).toBe("ConfigNotFound");
    expect(explicit.rawMessage).toContain(missing);
    expect(explicit.rawMessage).toContain("--config");
    const fromEnv = await rejected(findConfigFile({ cwd, env: { UCTL_CONFIG: missing }, home }));
    expect(fromEnv.rawMessage).toContain("UCTL_CONFIG");
  });
});

/** The file `flyte create config` writes for a cluster with a service account. */
const PYTHON_WRITTEN = `admin:
  endpoint: dns:///flyte.example.com:443
  insecure: false
  insecureSkipVerify: true
  caCertFilePath: /etc/ssl/private-ca.pem
  authType: ClientSecret
  clientId: ci-bot
  clientSecretLocation: /var/run/secrets/flyte/client_secret
  clientSecretEnvVar: FLYTE_CI_SECRET
  command:
    - uctl
    - get-token
  scopes:
    - all
    - offline
task:
  org: acme
  project: flytesnacks
  domain: development
image:
  builder: remote
`;

describe("the keys", () => {
  it("are read as the Python SDK reads them", async () => {
    const path = await put(join(cwd, "config.yaml"), PYTHON_WRITTEN);
    const config = await loadFlyteConfig({ cwd, home, env: {} });
    expect(config).toEqual({
      source: path,
      endpoint: "dns:///flyte.example.com:443",
      insecure: false,
      insecureSkipVerify: true,
      caCertFilePath: "/etc/ssl/private-ca.pem",
      authType: "ClientSecret",
      clientId: "ci-bot",
      clientSecretLocation: "/var/run/secrets/flyte/client_secret",
      clientSecretEnvVar: "FLYTE_CI_SECRET",
      command: ["uctl", "get-token"],
      scopes: ["all", "offline"],
      org: "acme",
      project: "flytesnacks",
      domain: "development",
    });
    expect(endpointFromConfig(config)).toBe("https://flyte.example.com:443");
    expect(endpointFromConfig({ ...config, insecure: true })).toBe("http://flyte.example.com:443");
    expect(endpointFromConfig({ ...config, endpoint: "http://127.0.0.1:8089" })).toBe(
      "http://127.0.0.1:8089",
    );
    expect(tlsFromConfig(config)).toEqual({
      caCertFile: "/etc/ssl/private-ca.pem",
      insecureSkipVerify: true,
    });
  });

  it("are overridden by FLYTE_<SECTION>_<OPTION>, strings parsed as the SDK parses them", async () => {
    await put(join(cwd, "config.yaml"), PYTHON_WRITTEN);
    const config = await loadFlyteConfig({
      cwd,
      home,
      env: {
        FLYTE_ADMIN_ENDPOINT: "localhost:30080",
        FLYTE_ADMIN_INSECURE: "True",
        FLYTE_ADMIN_INSECURESKIPVERIFY: "0",
        FLYTE_ADMIN_AUTHTYPE: "deviceflow",
        FLYTE_ADMIN_COMMAND: `vault read -field=token "secret/flyte token"`,
        FLYTE_ADMIN_SCOPES: "openid, offline_access all",
        FLYTE_TASK_DOMAIN: "production",
        // Empty counts as unset: the file's value stays.
        FLYTE_TASK_PROJECT: "",
      },
    });
    expect(config.endpoint).toBe("localhost:30080");
    expect(config.insecure).toBe(true);
    expect(config.insecureSkipVerify).toBe(false);
    expect(config.authType).toBe("DeviceFlow");
    expect(config.command).toEqual(["vault", "read", "-field=token", "secret/flyte token"]);
    expect(config.scopes).toEqual(["openid", "offline_access", "all"]);
    expect(config.domain).toBe("production");
    expect(config.project).toBe("flytesnacks");
    expect(endpointFromConfig(config)).toBe("http://localhost:30080");
    const json = await loadFlyteConfig({
      cwd,
      home,
      env: { FLYTE_ADMIN_COMMAND: '["my tool", "--flag"]', FLYTE_ADMIN_SCOPES: '["a b"]' },
    });
    expect(json.command).toEqual(["my tool", "--flag"]);
    expect(json.scopes).toEqual(["a b"]);
  });

  it("every key has its environment variable", () => {
    expect(CONFIG_KEYS.map((k) => envNameOf(k.key))).toEqual([
      "FLYTE_ADMIN_ENDPOINT",
      "FLYTE_ADMIN_INSECURE",
      "FLYTE_ADMIN_INSECURESKIPVERIFY",
      "FLYTE_ADMIN_CACERTFILEPATH",
      "FLYTE_ADMIN_AUTHTYPE",
      "FLYTE_ADMIN_CLIENTID",
      "FLYTE_ADMIN_CLIENTSECRETLOCATION",
      "FLYTE_ADMIN_CLIENTSECRETENVVAR",
      "FLYTE_ADMIN_COMMAND",
      "FLYTE_ADMIN_SCOPES",
      "FLYTE_TASK_ORG",
      "FLYTE_TASK_PROJECT",
      "FLYTE_TASK_DOMAIN",
    ]);
  });

  it("are all in the README's table, with their meaning and default", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("<!-- section:auth -->");
    const section = readme.slice(start, readme.indexOf("<!-- /section:auth -->"));
    expect(start).toBeGreaterThan(-1);
    for (const key of CONFIG_KEYS) {
      const row = section.split("\n").find((line) => line.startsWith(`| \`${key.key}\``));
      expect(row, key.key).toBeDefined();
      expect(row).toContain(`\`${envNameOf(key.key)}\``);
      expect(row).toContain(key.meaning);
      expect(row).toContain(key.default);
    }
  });
});

describe("what cannot be used is a typed error naming the file and the key", () => {
  it("malformed YAML names the file and the line", async () => {
    const path = await put(
      join(cwd, "config.yaml"),
      "admin:\n  endpoint: [unclosed\n  insecure: true\n",
    );
    const error = await rejected(loadFlyteConfig({ cwd, home, env: {} }));
    expect(error.code).toBe("InvalidConfig");
    expect(error.rawMessage).toContain(path);
    expect(error.rawMessage).toMatch(/not valid YAML \(line \d+, column \d+\)/);
  });

  it("an unknown authType names the file, the key and the choices", async () => {
    const path = await put(join(cwd, "config.yaml"), "admin:\n  authType: Kerberos\n");
    const error = await rejected(loadFlyteConfig({ cwd, home, env: {} }));
    expect(error.rawMessage).toBe(
      `config file ${path}: admin.authType 'Kerberos' is not one of Pkce, DeviceFlow, ClientSecret, ExternalCommand, Passthrough`,
    );
    const fromEnv = await rejected(
      loadFlyteConfig({ cwd, home, env: { FLYTE_ADMIN_AUTHTYPE: "Basic" } }),
    );
    expect(fromEnv.rawMessage).toMatch(
      /^environment variable FLYTE_ADMIN_AUTHTYPE: admin\.authType 'Basic'/,
    );
  });

  it("a value of the wrong type names its key", async () => {
    const cases: [string, RegExp][] = [
      ["admin:\n  insecure: maybe\n", /admin\.insecure must be true or false, got "maybe"/],
      ["admin: 3\n", /admin must be a mapping, got 3/],
      ["admin:\n  scopes: {a: 1}\n", /admin\.scopes must be a list of strings, got a mapping/],
      ["admin:\n  endpoint: [a, b]\n", /admin\.endpoint must be a string, got a list/],
      ["- just\n- a list\n", /the top level must be a mapping, got a list/],
    ];
    for (const [text, message] of cases) {
      const path = await put(join(cwd, "config.yaml"), text);
      const error = await rejected(loadFlyteConfig({ cwd, home, env: {} }));
      expect(error.rawMessage).toMatch(message);
      expect(error.rawMessage).toContain(path);
    }
    const env = await rejected(
      loadFlyteConfig({ cwd: root, home, env: { FLYTE_ADMIN_INSECURE: "sure" } }),
    );
    expect(env.rawMessage).toMatch(/^environment variable FLYTE_ADMIN_INSECURE: admin\.insecure/);
  });

  it("YAML 1.1 booleans read as PyYAML reads them", async () => {
    await put(join(cwd, "config.yaml"), "admin:\n  insecure: yes\n  insecureSkipVerify: off\n");
    const config = await loadFlyteConfig({ cwd, home, env: {} });
    expect(config.insecure).toBe(true);
    expect(config.insecureSkipVerify).toBe(false);
  });
});

describe("splitting a command line", () => {
  it("follows the shell's quoting rules, without a shell", () => {
    expect(splitCommandLine(`a 'b c' "d \\"e\\" $f" g\\ h  `)).toEqual([
      "a",
      "b c",
      'd "e" $f',
      "g h",
    ]);
    expect(splitCommandLine("")).toEqual([]);
    expect(splitCommandLine(`''`)).toEqual([""]);
    expect((thrown(() => splitCommandLine(`'open`)) as Error).message).toMatch(/unterminated/);
    expect((thrown(() => splitCommandLine(`x\\`)) as Error).message).toMatch(/trailing/);
  });
});
