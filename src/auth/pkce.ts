/**
 * The authorization code grant with PKCE (RFC 7636), for a person at a terminal: send them to
 * the provider's sign-in page, receive the code at the redirect URI, and exchange it with the
 * verifier only this process knows. Flyte's `admin.authType: Pkce`.
 *
 * Getting the person to the page and the redirect back is a {@link AuthorizationReceiver}'s
 * job; in Node, `loopbackReceiver()` from `flyte-remote/config` opens the browser and listens
 * on 127.0.0.1 once.
 *
 * @module
 */

import { authFailure } from "./auth-failure.js";
import type { Authenticator } from "./authenticator.js";
import type { Credentials } from "./credentials.js";
import { type OAuthOptions, oauthAuthenticator } from "./oauth-authenticator.js";
import { ServerInfoSource } from "./server-info.js";
import { signInFlow } from "./sign-in-flow.js";
import { requestTokens, scopeParameter } from "./token-endpoint.js";

/** One sign-in in progress at a redirect URI. */
export interface AuthorizationSession {
  /** The redirect URI in use: the configured one, with the port filled in when it was 0. */
  readonly redirectUri: string;
  /**
   * Sends the person to `authorizationUrl` and resolves with the query of the redirect that
   * comes back (`code` and `state`, or `error`). Rejects when `signal` aborts.
   */
  complete(authorizationUrl: string, signal: AbortSignal): Promise<URLSearchParams>;
  /** Releases whatever the session holds (a listening socket). */
  close(): Promise<void>;
}

/** Starts sign-in sessions at a redirect URI. */
export interface AuthorizationReceiver {
  open(redirectUri: string): Promise<AuthorizationSession>;
}

/** Options of {@link pkce}. */
export interface PkceOptions extends OAuthOptions {
  /** Takes the person to the sign-in page and brings the code back. */
  receiver: AuthorizationReceiver;
  /** The public client's id; default: the cluster's. */
  clientId?: string | undefined;
  /** Default: the cluster's (for example `http://localhost:53593/callback`). */
  redirectUri?: string | undefined;
  /** How long a person has to sign in. Default 5 minutes. */
  timeoutMs?: number | undefined;
  /**
   * Whether a person may be asked now; with `false` only kept tokens are used (renewed with
   * their refresh token). Default true.
   */
  signIn?: boolean | undefined;
}

/** A PKCE verifier, its S256 challenge and a `state`. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
  readonly state: string;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A fresh verifier (64 random bytes, 86 characters), its S256 challenge and a 32-byte state. */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(64)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return {
    verifier,
    challenge: base64url(new Uint8Array(digest)),
    state: base64url(crypto.getRandomValues(new Uint8Array(32))),
  };
}

/**
 * Signs a person in through their browser. Checks the `state` that comes back, uses the S256
 * challenge, and gives up after `timeoutMs` with `SignInTimedOut`; a declined sign-in is
 * `AccessDenied`. Renewals use the refresh token without asking anyone.
 */
export function pkce(options: PkceOptions): Authenticator {
  const server = new ServerInfoSource(options, ["token", "authorization", "client"]);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const inFlight = new Set<string>();

  async function signIn(): Promise<Credentials> {
    const info = await server.get();
    const redirect = options.redirectUri ?? info.redirectUri;
    if (redirect === "") {
      throw authFailure({
        code: "AuthNotConfigured",
        message: "no redirect URI: the cluster's discovery names none and none was given",
        hint: "Give the redirect URI registered with the identity provider (redirectUri), for example http://localhost:53593/callback.",
      });
    }
    const pair = await createPkcePair();
    const session = await options.receiver.open(redirect);
    const timeout = AbortSignal.timeout(timeoutMs);
    inFlight.add(pair.verifier);
    try {
      const url = new URL(info.authorizationEndpoint);
      const query: Record<string, string | undefined> = {
        response_type: "code",
        client_id: info.clientId,
        redirect_uri: session.redirectUri,
        scope: scopeParameter(info.scopes),
        audience: info.audience === "" ? undefined : info.audience,
        state: pair.state,
        code_challenge: pair.challenge,
        code_challenge_method: "S256",
      };
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, value);
      }
      let reply: URLSearchParams;
      try {
        reply = await session.complete(url.toString(), timeout);
      } catch (error) {
        if (!timeout.aborted) throw error;
        throw authFailure({
          code: "SignInTimedOut",
          message: `nobody completed the sign-in within ${Math.round(timeoutMs / 1000)} s`,
          secrets: [pair.verifier],
        });
      }
      const code = reply.get("code");
      if (reply.get("state") !== pair.state) {
        throw authFailure({
          code: "StateMismatch",
          message: "the browser came back with a state this sign-in did not send",
          secrets: [pair.verifier, pair.state, ...(code === null ? [] : [code])],
        });
      }
      const error = reply.get("error");
      if (error !== null || code === null || code === "") {
        const description = reply.get("error_description");
        throw authFailure({
          code: error === "access_denied" ? "AccessDenied" : "IdentityProviderError",
          message: `the sign-in did not complete: ${error ?? "no code came back"}${description === null ? "" : `: ${description}`}`,
          secrets: [pair.verifier],
          details: {
            oauthError: error ?? "",
            ...(description === null ? {} : { oauthErrorDescription: description }),
          },
        });
      }
      return await requestTokens({
        server: info,
        fetch: server.fetch,
        form: {
          grant_type: "authorization_code",
          code,
          redirect_uri: session.redirectUri,
          client_id: info.clientId,
          code_verifier: pair.verifier,
        },
        secrets: [pair.verifier, code],
        now,
      });
    } finally {
      inFlight.delete(pair.verifier);
      await session.close();
    }
  }

  return oauthAuthenticator(
    server,
    signInFlow({ server, mayAskPerson: options.signIn ?? true, now, inFlight, acquire: signIn }),
    options,
  );
}
