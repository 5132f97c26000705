/**
 * Flyte and Union API keys: base64 of `endpoint:client_id:client_secret:org`, which is
 * everything a service needs to connect: where, who, and the secret for the client
 * credentials grant.
 *
 * @module
 */

import { InitializationError } from "../errors/index.js";
import type { Authenticator } from "./authenticator.js";
import { clientCredentialsFor } from "./client-credentials.js";
import type { OAuthOptions } from "./oauth-authenticator.js";

/** What an API key holds. */
export interface ApiKeyParts {
  readonly endpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `undefined` when the key names no org. */
  readonly org: string | undefined;
}

function invalid(why: string): InitializationError {
  return new InitializationError({
    code: "InvalidApiKey",
    kind: "user",
    message: `invalid API key: ${why}`,
    hint: "Copy the API key again from where it was created (FLYTE_API_KEY or UNION_API_KEY); it is base64 of endpoint:client_id:client_secret:org.",
  });
}

/**
 * Decodes an API key. The key is split at its last three colons, so that an endpoint with a
 * scheme or a port (`dns:///host:443`, `http://127.0.0.1:8089`) keeps them; for endpoints
 * without a colon this agrees with the Python SDK, which splits at the first three. An empty
 * org, or the Python SDK's placeholder `None`, means no org.
 *
 * Throws `InitializationError` code `InvalidApiKey`, whose message never quotes the key.
 */
export function decodeApiKey(key: string): ApiKeyParts {
  const compact = key.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/");
  if (compact === "") throw invalid("it is empty");
  let bytes: Uint8Array;
  try {
    const binary = atob(compact + "=".repeat((4 - (compact.length % 4)) % 4));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    throw invalid("it is not base64");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid("it does not decode to text");
  }
  const parts = text.split(":");
  if (parts.length < 4) {
    throw invalid(`it has ${parts.length} part(s) separated by ':', and needs 4`);
  }
  const org = parts.pop() ?? "";
  const clientSecret = parts.pop() ?? "";
  const clientId = parts.pop() ?? "";
  const endpoint = parts.join(":");
  if (endpoint.trim() === "") throw invalid("its endpoint is empty");
  if (clientId === "") throw invalid("its client id is empty");
  if (clientSecret === "") throw invalid("its client secret is empty");
  return {
    endpoint: endpoint.trim(),
    clientId,
    clientSecret,
    org: org === "" || org === "None" ? undefined : org,
  };
}

/**
 * An authenticator from an API key: the client credentials grant with the key's client id
 * and secret, against the key's endpoint. `createClient({ auth: apiKey(key) })` connects to
 * that endpoint and org when no other is given. The key itself is one of its secrets.
 */
export function apiKey(key: string, options: OAuthOptions = {}): Authenticator {
  const parts = decodeApiKey(key);
  return clientCredentialsFor(
    {
      ...options,
      endpoint: options.endpoint ?? parts.endpoint,
      clientId: parts.clientId,
      clientSecret: parts.clientSecret,
    },
    { endpoint: parts.endpoint, org: parts.org, secrets: [key.trim()] },
  );
}

/**
 * The API key of an environment: `FLYTE_API_KEY`, else `UNION_API_KEY` (its alias), else
 * `undefined`. Empty values count as absent.
 */
export function apiKeyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  for (const name of ["FLYTE_API_KEY", "UNION_API_KEY"]) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}
