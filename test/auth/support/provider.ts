/**
 * A real OpenID provider (the certified `oidc-provider`) on 127.0.0.1 for the auth suites,
 * configured the way a Flyte deployment's identity provider is: a confidential client for
 * services, a public native client for people, JWT access tokens for the Flyte audience,
 * refresh tokens, the device flow and token revocation.
 *
 * The only additions are documented extension points (`provider.use` middleware) that make
 * it behave like providers that give a polling interval and answer `slow_down`.
 */

import { generateKeyPairSync } from "node:crypto";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import {
  startTestServer,
  type TestServer,
  type TestServerAuthOptions,
} from "../../../src/testing/index.js";

/** Distinctive secrets: any of them in an error, a log or JSON is a leak. */
export const SECRETS = {
  serviceSecret: "cs-Qv7RkZ3-service-SECRET-not-for-logs-91f",
  apiKeySecret: "ak-Lm4Tx8P-apikey-SECRET-not-for-logs-2c7",
} as const;

/** The audience of the Flyte "resource server". */
export const AUDIENCE = "https://flyte.test/api";

export const SERVICE_CLIENT = "flyte-service";
export const APIKEY_CLIENT = "flyte-apikey";
export const PUBLIC_CLIENT = "flytectl";

/** Options of {@link startProvider}. */
export interface ProviderOptions {
  /** Access token lifetime in seconds; default 3600. */
  readonly accessTokenTtlS?: number;
  /** Device code lifetime in seconds; default 600. */
  readonly deviceCodeTtlS?: number;
  /** Added to the device authorization response, as many providers do; default none. */
  readonly deviceInterval?: number;
  /** Answers the first poll of each device code with `slow_down` instead of pending. */
  readonly slowDownFirstPoll?: boolean;
  /**
   * Behaves like a careless provider: every error of the token endpoint quotes the request's
   * credentials (the Authorization header, the secret, the refresh token, the verifier).
   */
  readonly echoCredentials?: boolean;
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string; readonly host: string };
}

/** One token-endpoint poll of the device grant, as the provider saw it. */
export interface DevicePoll {
  readonly at: number;
  readonly answer: string;
}

/** A running provider. */
export interface TestProvider {
  readonly issuer: string;
  /** Device polls, in order. */
  readonly polls: DevicePoll[];
  /** Device authorizations started. */
  readonly deviceStarts: number[];
  /** The `scope` each device authorization asked for. */
  readonly deviceScopes: string[];
  /** Every grant_type the token endpoint served, in order. */
  readonly grants: string[];
  close(): Promise<void>;
}

/** Starts the provider on an ephemeral port. */
export async function startProvider(options: ProviderOptions = {}): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: "test-key-1",
    use: "sig",
    alg: "RS256",
  };
  let handler: RequestListener | undefined;
  const listener: RequestListener = (req, res) => handler?.(req, res);
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  const host = options.tls?.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `${options.tls ? "https" : "http"}://${host}:${port}`;
  const ttl = options.accessTokenTtlS ?? 3600;

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    cookies: { keys: ["cookie-key-for-tests"] },
    clients: [
      {
        client_id: SERVICE_CLIENT,
        client_secret: SECRETS.serviceSecret,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: APIKEY_CLIENT,
        client_secret: SECRETS.apiKeySecret,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: PUBLIC_CLIENT,
        application_type: "native",
        token_endpoint_auth_method: "none",
        grant_types: [
          "authorization_code",
          "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code",
        ],
        response_types: ["code"],
        // Native loopback redirects match on any port (RFC 8252 §7.3).
        redirect_uris: ["http://127.0.0.1/callback"],
      },
    ],
    scopes: ["openid", "offline_access", "all"],
    features: {
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "all",
          audience: AUDIENCE,
          accessTokenFormat: "jwt",
          accessTokenTTL: ttl,
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed("refresh_token"),
    ttl: {
      AccessToken: () => ttl,
      ClientCredentials: () => ttl,
      DeviceCode: () => options.deviceCodeTtlS ?? 600,
      RefreshToken: () => 3600,
      Interaction: () => 600,
      Session: () => 600,
      Grant: () => 3600,
      IdToken: () => 3600,
    },
  });

  const polls: DevicePoll[] = [];
  const deviceStarts: number[] = [];
  const deviceScopes: string[] = [];
  const grants: string[] = [];
  const slowedDown = new Set<string>();
  provider.use(async (ctx, next) => {
    await next();
    const params = ctx.oidc?.params ?? {};
    if (ctx.path === "/device/auth" && ctx.method === "POST" && ctx.status === 200) {
      deviceStarts.push(Date.now());
      deviceScopes.push(String(params.scope ?? ""));
      if (options.deviceInterval !== undefined) {
        (ctx.body as Record<string, unknown>).interval = options.deviceInterval;
      }
    }
    if (ctx.path === "/token" && ctx.method === "POST") {
      const grant = String(params.grant_type ?? "");
      const failed = ctx.body as { error?: string; error_description?: string } | undefined;
      if (options.echoCredentials && failed?.error !== undefined) {
        const basic = (ctx.headers.authorization ?? "").replace(/^Basic /, "");
        failed.error_description = [
          failed.error_description,
          `decoded ${Buffer.from(basic, "base64").toString("utf8")}`,
          ...["client_secret", "refresh_token", "code_verifier", "device_code", "code"].map(
            (name) => `${name} ${String(params[name] ?? "")}`,
          ),
          // Last: redaction of a dumped header takes the rest of its line.
          `authorization: ${ctx.headers.authorization ?? ""}`,
        ].join("; ");
      }
      grants.push(grant);
      if (grant === "urn:ietf:params:oauth:grant-type:device_code") {
        const body = ctx.body as { error?: string } | undefined;
        const code = String(params.device_code ?? "");
        if (
          options.slowDownFirstPoll &&
          body?.error === "authorization_pending" &&
          !slowedDown.has(code)
        ) {
          slowedDown.add(code);
          ctx.body = { error: "slow_down", error_description: "polling too fast" };
        }
        polls.push({
          at: Date.now(),
          answer: (ctx.body as { error?: string } | undefined)?.error ?? "tokens",
        });
      }
    }
  });
  handler = provider.callback();

  return {
    issuer,
    polls,
    deviceStarts,
    deviceScopes,
    grants,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A provider and a test server whose auth mode points at it. */
export interface TestCluster {
  readonly provider: TestProvider;
  readonly server: TestServer;
  close(): Promise<void>;
}

/**
 * Starts a provider and a test server that requires its tokens (for {@link AUDIENCE}); the
 * server's discovery names {@link PUBLIC_CLIENT} with scope `all` unless told otherwise.
 */
export async function startCluster(
  options: ProviderOptions = {},
  publicClient: NonNullable<TestServerAuthOptions["publicClient"]> = {},
  serverFetch?: TestServerAuthOptions["fetch"],
): Promise<TestCluster> {
  const provider = await startProvider(options);
  const server = await startTestServer({
    speed: 1000,
    auth: {
      issuer: provider.issuer,
      audience: AUDIENCE,
      publicClient: { clientId: PUBLIC_CLIENT, scopes: ["all"], ...publicClient },
      ...(serverFetch === undefined ? {} : { fetch: serverFetch }),
    },
  });
  return {
    provider,
    server,
    async close() {
      await server.close();
      await provider.close();
    },
  };
}
