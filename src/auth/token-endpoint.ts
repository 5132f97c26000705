/**
 * Requests to the token endpoint (RFC 6749 §3.2), for every grant the authenticators use.
 *
 * @module
 */

import { type Credentials, credentialsFromReply } from "./credentials.js";
import type { AuthServerInfo } from "./discovery.js";
import { type FetchFunction, postForm } from "./idp-request.js";

/** A confidential client's credentials. */
export interface ClientSecret {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One token request. */
export interface TokenGrant {
  readonly server: AuthServerInfo;
  readonly fetch: FetchFunction;
  /** The grant's parameters; `grant_type` included. Empty values are left out. */
  readonly form: Readonly<Record<string, string | undefined>>;
  /** Authenticates a confidential client; a public one sends `client_id` in the form. */
  readonly client?: ClientSecret | undefined;
  /** Every secret in play, to scrub from errors. */
  readonly secrets: readonly string[];
  /** Kept when the reply brings no new refresh token. */
  readonly refreshToken?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly now: () => number;
}

/** RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded. */
function basicCredentials(client: ClientSecret): string {
  const encode = (value: string) =>
    encodeURIComponent(value)
      .replace(/%20/g, "+")
      .replace(/[!'()*]/g, escapeReserved);
  const raw = `${encode(client.clientId)}:${encode(client.clientSecret)}`;
  const bytes = new TextEncoder().encode(raw);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function escapeReserved(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Posts the grant and reads the tokens. The client secret goes in the Basic header unless the
 * provider advertises only `client_secret_post`.
 */
export async function requestTokens(grant: TokenGrant): Promise<Credentials> {
  const what = `the token endpoint`;
  const client = grant.client;
  const methods = grant.server.tokenEndpointAuthMethods;
  const postSecret =
    client !== undefined &&
    methods.includes("client_secret_post") &&
    !methods.includes("client_secret_basic");
  const form: Record<string, string | undefined> = { ...grant.form };
  const headers: Record<string, string> = {};
  if (client !== undefined && postSecret) {
    form.client_id = client.clientId;
    form.client_secret = client.clientSecret;
  } else if (client !== undefined) {
    headers.authorization = basicCredentials(client);
  }
  const reply = await postForm(
    {
      fetch: grant.fetch,
      url: grant.server.tokenEndpoint,
      what,
      secrets: grant.secrets,
      signal: grant.signal,
    },
    form,
    headers,
  );
  return credentialsFromReply(reply, grant.now(), {
    what,
    secrets: grant.secrets,
    previousRefreshToken: grant.refreshToken,
  });
}

/** The space-separated `scope` parameter, or `undefined` for none. */
export function scopeParameter(scopes: readonly string[]): string | undefined {
  const joined = scopes
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .join(" ");
  return joined === "" ? undefined : joined;
}
