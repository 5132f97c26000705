/**
 * Turns the settings of a Flyte config file into what `createClient` takes: the endpoint URL,
 * the TLS settings, and the authenticator that `admin.authType` names.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { apiKey, apiKeyFromEnv } from "../auth/api-key.js";
import type { Authenticator } from "../auth/authenticator.js";
import { clientCredentials } from "../auth/client-credentials.js";
import { type DevicePrompt, deviceFlow } from "../auth/device-flow.js";
import type { FetchFunction } from "../auth/idp-request.js";
import { externalCommand } from "../auth/node/external-command.js";
import { fileTokenStore } from "../auth/node/file-token-store.js";
import { loopbackReceiver } from "../auth/node/loopback-receiver.js";
import { createTlsFetch, hasTlsSettings } from "../auth/node/tls-fetch.js";
import { type AuthorizationReceiver, pkce } from "../auth/pkce.js";
import type { TokenStore } from "../auth/token-store.js";
import { InitializationError } from "../errors/index.js";
import type { TlsOptions } from "../transport/connections.js";
import type { AuthType, FlyteConfig } from "./read-config.js";

/** Options of {@link authFromConfig}. */
export interface ConfigAuthOptions {
  /** For `admin.clientSecretEnvVar` and API keys; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Relative `admin.clientSecretLocation` paths start here; default `process.cwd()`. */
  cwd?: string | undefined;
  /**
   * Whether a browser sign-in or device code may be asked for now. With `false`, only tokens
   * kept from `flyte-remote login` are used. Default true.
   */
  signIn?: boolean | undefined;
  /** Use the device flow whatever `admin.authType` says (`flyte-remote login --device`). */
  device?: boolean | undefined;
  /** Where sign-in tokens are kept; default `fileTokenStore()`. */
  store?: TokenStore | undefined;
  /** Shows the device flow's URL and code; default stderr. */
  prompt?: ((prompt: DevicePrompt) => void) | undefined;
  /** Receives the PKCE redirect; default `loopbackReceiver()`. */
  receiver?: AuthorizationReceiver | undefined;
  /** The `fetch` for discovery and the identity provider; default one with the config's TLS. */
  fetch?: FetchFunction | undefined;
  /** Ignore `FLYTE_API_KEY` and `UNION_API_KEY`. Default false. */
  ignoreApiKey?: boolean | undefined;
}

/**
 * The endpoint as a URL: kept when it has a scheme; otherwise `http://` when
 * `admin.insecure` is set and `https://` when not. `dns:///` is dropped.
 */
export function endpointFromConfig(config: FlyteConfig): string | undefined {
  const endpoint = config.endpoint?.trim();
  if (endpoint === undefined || endpoint === "") return undefined;
  const bare = endpoint.replace(/^dns:\/*/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(bare)) return bare;
  return `${config.insecure ? "http" : "https"}://${bare}`;
}

/** The TLS settings, when the config has any. */
export function tlsFromConfig(config: FlyteConfig): TlsOptions | undefined {
  const tls: TlsOptions = {
    ...(config.caCertFilePath === undefined ? {} : { caCertFile: config.caCertFilePath }),
    ...(config.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
  };
  return hasTlsSettings(tls) ? tls : undefined;
}

function configError(config: FlyteConfig, message: string, hint: string): InitializationError {
  return new InitializationError({
    code: "InvalidConfig",
    message: `${config.source === undefined ? "config" : `config file ${config.source}`}: ${message}`,
    hint,
  });
}

/** The client secret from `admin.clientSecretLocation` or `admin.clientSecretEnvVar`. */
async function clientSecretOf(
  config: FlyteConfig,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string | undefined> {
  if (config.clientSecretLocation !== undefined) {
    const path = resolve(cwd, config.clientSecretLocation);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (cause) {
      throw new InitializationError({
        code: "InvalidConfig",
        message: `cannot read admin.clientSecretLocation ${path}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`,
        hint: "Point admin.clientSecretLocation at a readable file that holds the client secret.",
        cause,
      });
    }
    const secret = text.trim();
    if (secret !== "") return secret;
  }
  if (config.clientSecretEnvVar !== undefined) {
    const secret = env[config.clientSecretEnvVar]?.trim();
    if (secret !== undefined && secret !== "") return secret;
  }
  return undefined;
}

/**
 * The authenticator for a config: the API key of `FLYTE_API_KEY` (or `UNION_API_KEY`) when
 * set; else what `admin.authType` names, where a configured client secret means
 * `ClientSecret` and nothing means `Pkce`, as in the Python SDK. `undefined` for
 * `Passthrough`, whose token the caller gives.
 */
export async function authFromConfig(
  config: FlyteConfig,
  options: ConfigAuthOptions = {},
): Promise<Authenticator | undefined> {
  const env = options.env ?? process.env;
  const tls = tlsFromConfig(config);
  const fetchFn = options.fetch ?? (tls === undefined ? undefined : createTlsFetch(tls));
  const endpoint = endpointFromConfig(config);
  const shared = {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
    ...(config.scopes === undefined ? {} : { scopes: config.scopes }),
  };
  const key = options.ignoreApiKey ? undefined : apiKeyFromEnv(env);
  if (key !== undefined) {
    return apiKey(key, fetchFn === undefined ? {} : { fetch: fetchFn });
  }
  const secret = await clientSecretOf(config, env, options.cwd ?? process.cwd());
  const type: AuthType = options.device
    ? "DeviceFlow"
    : secret !== undefined
      ? "ClientSecret"
      : (config.authType ?? "Pkce");
  const person = {
    ...(config.clientId === undefined ? {} : { clientId: config.clientId }),
    store: options.store ?? fileTokenStore(),
    signIn: options.signIn ?? true,
  };
  switch (type) {
    case "ClientSecret":
      if (config.clientId === undefined || secret === undefined) {
        throw configError(
          config,
          `admin.authType ClientSecret needs admin.clientId and a secret (admin.clientSecretLocation or admin.clientSecretEnvVar)${config.clientSecretEnvVar === undefined ? "" : `; ${config.clientSecretEnvVar} is not set`}`,
          "Set admin.clientId and admin.clientSecretLocation (a file) or admin.clientSecretEnvVar (a variable's name).",
        );
      }
      return clientCredentials({ ...shared, clientId: config.clientId, clientSecret: secret });
    case "ExternalCommand":
      if (config.command === undefined) {
        throw configError(
          config,
          "admin.authType ExternalCommand needs admin.command",
          "Set admin.command to the program (and its arguments) that prints a token.",
        );
      }
      return externalCommand({ command: config.command, env });
    case "DeviceFlow":
      return deviceFlow({
        ...shared,
        ...person,
        ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
      });
    case "Pkce":
      return pkce({ ...shared, ...person, receiver: options.receiver ?? loopbackReceiver() });
    case "Passthrough":
      return undefined;
  }
}
