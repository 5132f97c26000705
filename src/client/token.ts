import type { Interceptor } from "@connectrpc/connect";
import { userEntryPoint } from "../errors/index.js";

/** A bearer token, or a function that fetches one (for example from a secret store). */
export type TokenOption = string | (() => string | Promise<string>);

/** Options of {@link Authenticator.token}. */
export interface TokenRequest {
  /**
   * Get a new token even when the one held looks valid, because the server refused it.
   * Concurrent forced requests share one renewal.
   */
  forceRefresh?: boolean | undefined;
  /**
   * The token the server refused. When another caller has already replaced it, that newer
   * token is returned instead of renewing again; so N calls failing together cost one renewal.
   */
  rejected?: string | undefined;
  /** Stops waiting; a renewal that others share goes on. */
  signal?: AbortSignal | undefined;
}

/**
 * A source of access tokens for one Flyte endpoint: what `createClient({ auth })` takes.
 *
 * The client defines the contract it consumes; the authenticators of flyte-remote
 * (`clientCredentials`, `apiKey`, `deviceFlow`, `pkce`, `customAuth`, and `externalCommand`
 * in `flyte-remote/config`) implement it, and so can your own.
 */
export interface Authenticator {
  /**
   * A token that is valid now: the one held, renewed first when it is about to expire. Every
   * failure is a typed `AuthenticationError` (or the `InitializationError` of a bad setting).
   */
  token(request?: TokenRequest): Promise<string>;
  /**
   * For flows that need a person (a browser sign-in, a device code): the token held now, or
   * one that can be renewed without a person, else `undefined`. The client sends its first
   * try without a token in that case and signs in only when the server answers
   * UNAUTHENTICATED, as the Python SDK does; so a config that names a sign-in flow still
   * works against a server without auth. Absent on authenticators that never need a person.
   */
  tokenIfSignedIn?(request?: TokenRequest): Promise<string | undefined>;
  /**
   * Every credential held now (access and refresh tokens, client secret, API key, PKCE
   * verifier), so that error decoders can scrub them from anything a server echoes back.
   */
  secrets(): readonly string[];
  /**
   * The request header that carries the token: `authorization` unless the cluster's
   * discovery named another (`authorization_metadata_key`).
   */
  headerName?(): string;
  /** The endpoint the credential belongs to (an API key carries one); used when none is given. */
  readonly endpoint?: string | undefined;
  /** The org the credential belongs to (an API key may carry one). */
  readonly org?: string | undefined;
  /**
   * Told by the client which endpoint it talks to, so that discovery can ask that endpoint
   * where to sign in. An endpoint given to the authenticator itself wins.
   */
  bindEndpoint?(endpoint: string): void;
  /** Forgets the tokens held, here and in the token store; the next call signs in again. */
  signOut?(): Promise<void>;
}

/** True for an object with the shape of an {@link Authenticator}. */
export function isAuthenticator(value: unknown): value is Authenticator {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { token?: unknown | undefined }).token === "function" &&
    typeof (value as { secrets?: unknown | undefined }).secrets === "function"
  );
}

/**
 * Caches the token and refreshes it on demand. The provider is user code, so it runs in
 * the user scope: a provider that throws surfaces as a user-scoped error, not as a crash
 * of the client. The token itself never leaves this object except in the header.
 *
 * With an {@link Authenticator}, the authenticator keeps the token and renews it before it
 * expires; this only remembers that the server refused the last one, so that the next call
 * asks for a new one.
 */
export class TokenSource {
  private cached: Promise<string> | undefined;
  private readonly provider: (() => Promise<string>) | undefined;
  private readonly auth: Authenticator | undefined;
  /** Tokens handed out lately, newest last: a server may echo any of them. */
  private readonly issued: string[] = [];
  /** The server refused this token; the next request forces a renewal. */
  private refused: string | undefined;
  private forceNext = false;

  constructor(option: TokenOption | Authenticator | undefined) {
    if (isAuthenticator(option)) {
      this.auth = option;
    } else if (typeof option === "function") {
      const call = userEntryPoint(option);
      this.provider = async () => this.remember(await call());
    } else if (option !== undefined) {
      this.cached = Promise.resolve(this.remember(option));
    }
  }

  /**
   * Every credential this source has handed out lately, and with an authenticator every
   * credential it holds (refresh token, client secret, API key, PKCE verifier). The client
   * passes them to every decoder, so a server that echoes the token it was sent (in its
   * message, a header, ErrorInfo metadata or DebugInfo) never gets it into an error.
   */
  secrets(): readonly string[] {
    if (this.auth === undefined) return this.issued;
    return [...this.issued, ...this.auth.secrets()];
  }

  private remember(token: string): string {
    if (token !== "" && !this.issued.includes(token)) {
      this.issued.push(token);
      if (this.issued.length > 8) this.issued.shift();
    }
    return token;
  }

  /** True when a refresh can produce a different token. */
  get refreshable(): boolean {
    return this.provider !== undefined || this.auth !== undefined;
  }

  /** True when calls carry a token at all. */
  get present(): boolean {
    return this.provider !== undefined || this.cached !== undefined || this.auth !== undefined;
  }

  get(): Promise<string> | undefined {
    if (this.auth !== undefined) return this.fromAuthenticator(this.auth);
    if (this.cached === undefined && this.provider !== undefined) {
      const pending = this.provider();
      this.cached = pending;
      // A failed fetch must not be cached, or every later call would fail the same way.
      pending.catch(() => {
        if (this.cached === pending) this.cached = undefined;
      });
    }
    return this.cached;
  }

  /** Drops the cached token so the next call asks the provider again. */
  invalidate(): void {
    if (this.provider !== undefined) this.cached = undefined;
    if (this.auth !== undefined) {
      this.forceNext = true;
      this.refused = this.issued.at(-1);
    }
  }

  /** Sets `authorization: Bearer …` (or the authenticator's header) on every request. */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const pending = this.get();
      if (pending !== undefined) {
        const token = await pending;
        if (token !== "") {
          req.header.set(this.auth?.headerName?.() ?? "authorization", `Bearer ${token}`);
        }
      }
      return next(req);
    };
  }

  /**
   * The authenticator's token. Until the server has refused a call, flows that need a person
   * only give a token they already hold: the server may not need one.
   */
  private async fromAuthenticator(auth: Authenticator): Promise<string> {
    let token: string | undefined;
    if (this.forceNext) {
      const rejected = this.refused;
      this.forceNext = false;
      token = await auth.token({ forceRefresh: true, rejected });
    } else if (auth.tokenIfSignedIn !== undefined && this.issued.length === 0) {
      token = await auth.tokenIfSignedIn();
    } else {
      token = await auth.token();
    }
    return this.remember(token ?? "");
  }
}
