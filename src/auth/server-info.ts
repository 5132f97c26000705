/**
 * Settles where and how one authenticator signs in: what the caller said, completed by the
 * cluster's discovery when something is missing, checked once for what the flow needs.
 *
 * @module
 */

import { authFailure } from "./auth-failure.js";
import { type AuthServerInfo, discoverAuth } from "./discovery.js";
import type { FetchFunction } from "./idp-request.js";

/**
 * Settings that would otherwise come from discovery. What is given here wins over what the
 * cluster says, as in the Python SDK; when everything a flow needs is given, the cluster is
 * not asked at all.
 */
export interface AuthServerOverrides {
  /** The Flyte endpoint to ask (discovery); `createClient` fills it in when absent. */
  endpoint?: string | undefined;
  tokenEndpoint?: string | undefined;
  authorizationEndpoint?: string | undefined;
  deviceAuthorizationEndpoint?: string | undefined;
  /** Scopes to request; default: the cluster's public client scopes. */
  scopes?: readonly string[] | undefined;
  /** Audience to request (Auth0 needs one); default: the cluster's. */
  audience?: string | undefined;
  /** The header carrying the token; default: the cluster's, else `authorization`. */
  headerName?: string | undefined;
  /** The `fetch` for discovery and the identity provider; in Node it carries TLS settings. */
  fetch?: FetchFunction | undefined;
}

/** What a flow needs to know before it can start. */
export type ServerNeed = "token" | "authorization" | "device" | "client";

/** The fields each need stands for, with what to set when they are missing. */
const NEEDS: Readonly<Record<ServerNeed, readonly [keyof AuthServerInfo, string]>> = {
  token: ["tokenEndpoint", "token endpoint (tokenEndpoint)"],
  authorization: ["authorizationEndpoint", "authorization endpoint (authorizationEndpoint)"],
  device: [
    "deviceAuthorizationEndpoint",
    "device authorization endpoint (deviceAuthorizationEndpoint; the provider may not offer the device flow)",
  ],
  client: ["clientId", "client id (admin.clientId or clientId)"],
};

/** Lazily resolved, cached {@link AuthServerInfo}. */
export class ServerInfoSource {
  private endpoint: string | undefined;
  private resolved: AuthServerInfo | undefined;
  private pending: Promise<AuthServerInfo> | undefined;

  constructor(
    private readonly overrides: AuthServerOverrides & {
      clientId?: string | undefined;
      redirectUri?: string | undefined;
    },
    private readonly needs: readonly ServerNeed[],
  ) {
    this.endpoint = overrides.endpoint;
  }

  /** The endpoint discovery asks, unless one was given to the authenticator. */
  bindEndpoint(endpoint: string): void {
    this.endpoint ??= endpoint;
  }

  /** The endpoint in use, if known. */
  get boundEndpoint(): string | undefined {
    return this.endpoint;
  }

  get fetch(): FetchFunction {
    return this.overrides.fetch ?? globalThis.fetch;
  }

  /** The header name; `authorization` until discovery said otherwise. */
  headerName(): string {
    return this.overrides.headerName ?? this.resolved?.headerName ?? "authorization";
  }

  /** Resolves once; a failure is not cached, so a later call tries again. */
  get(signal?: AbortSignal): Promise<AuthServerInfo> {
    if (this.resolved !== undefined) return Promise.resolve(this.resolved);
    this.pending ??= this.resolve(signal).then(
      (info) => {
        this.resolved = info;
        this.pending = undefined;
        return info;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  private async resolve(signal: AbortSignal | undefined): Promise<AuthServerInfo> {
    const given = this.given();
    const complete = this.needs.every((need) => given[NEEDS[need][0]] !== "");
    let info = given;
    if (!complete) {
      if (this.endpoint === undefined || this.endpoint === "") {
        throw authFailure({
          code: "AuthNotConfigured",
          message: `nothing says where to sign in: no endpoint to discover it from, and no ${this.missing(given).join(", no ")}`,
          hint: "Pass createClient({ endpoint }) or the authenticator's endpoint (discovery asks the cluster), or give the missing settings.",
        });
      }
      const found = await discoverAuth(this.endpoint, { fetch: this.fetch, signal });
      info = merge(found, given);
      const missing = this.missing(info);
      if (missing.length > 0) {
        throw authFailure({
          code: "AuthNotConfigured",
          message: `the cluster at ${this.endpoint} does not say where to sign in: its discovery has no ${missing.join(", no ")}`,
          details: { endpoint: this.endpoint, missing: missing.join("; ") },
        });
      }
    }
    return info;
  }

  private missing(info: AuthServerInfo): string[] {
    return this.needs.filter((need) => info[NEEDS[need][0]] === "").map((need) => NEEDS[need][1]);
  }

  /** The overrides, as server info with empty strings for what was not given. */
  private given(): AuthServerInfo {
    const o = this.overrides;
    return {
      issuer: "",
      tokenEndpoint: o.tokenEndpoint ?? "",
      authorizationEndpoint: o.authorizationEndpoint ?? "",
      deviceAuthorizationEndpoint: o.deviceAuthorizationEndpoint ?? "",
      jwksUri: "",
      tokenEndpointAuthMethods: [],
      clientId: o.clientId ?? "",
      redirectUri: o.redirectUri ?? "",
      scopes: o.scopes ?? [],
      audience: o.audience ?? "",
      headerName: o.headerName ?? "",
    };
  }
}

/** Discovery's answer with every given (non-empty) setting on top. */
function merge(found: AuthServerInfo, given: AuthServerInfo): AuthServerInfo {
  const pick = (a: string, b: string) => (a === "" ? b : a);
  return {
    issuer: found.issuer,
    tokenEndpoint: pick(given.tokenEndpoint, found.tokenEndpoint),
    authorizationEndpoint: pick(given.authorizationEndpoint, found.authorizationEndpoint),
    deviceAuthorizationEndpoint: pick(
      given.deviceAuthorizationEndpoint,
      found.deviceAuthorizationEndpoint,
    ),
    jwksUri: found.jwksUri,
    tokenEndpointAuthMethods: found.tokenEndpointAuthMethods,
    clientId: pick(given.clientId, found.clientId),
    redirectUri: pick(given.redirectUri, found.redirectUri),
    scopes: given.scopes.length > 0 ? given.scopes : found.scopes,
    audience: pick(given.audience, found.audience),
    headerName: pick(given.headerName, found.headerName),
  };
}
