/**
 * The token lifecycle that every OAuth2 authenticator shares: reuse the token while it is
 * fresh, renew it shortly before it expires (with the refresh token when there is one),
 * let concurrent callers share one renewal, and keep the result in a token store.
 *
 * @module
 */

import { AuthenticationError } from "../errors/index.js";
import { authFailure } from "./auth-failure.js";
import type { TokenRequest } from "./authenticator.js";
import { type Credentials, credentialSecrets } from "./credentials.js";
import type { TokenStore, TokenStoreKey } from "./token-store.js";

/** How long before expiry a token is renewed, at most. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** Retired tokens kept among the secrets, for errors decoded after a renewal. */
const RETIRED_KEPT = 8;

/** What a concrete flow provides to the {@link TokenManager}. */
export interface TokenFlow {
  /** A new set of credentials from scratch: a grant, a browser sign-in, a device code. */
  acquire(signal: AbortSignal | undefined): Promise<Credentials>;
  /** Renews with a refresh token; absent when the flow has none to use. */
  refresh?(refreshToken: string, signal: AbortSignal | undefined): Promise<Credentials>;
  /** Whether {@link acquire} needs a person (a browser, a code to type). */
  readonly needsPerson: boolean;
  /** Whether this flow may ask one now. */
  readonly mayAskPerson: boolean;
  /** Where the tokens are kept, and under which key; resolved once, when first needed. */
  storeKey?(): Promise<TokenStoreKey>;
  /** Other secrets the flow holds (a client secret, a PKCE verifier). */
  secrets(): readonly string[];
}

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  readonly store?: TokenStore | undefined;
  /** Renew this long before expiry, at most half the token's lifetime. Default 60 s. */
  readonly refreshMarginMs?: number | undefined;
  /** The clock, for tests of expiry. */
  readonly now?: (() => number) | undefined;
}

/** Single-flight token lifecycle over one {@link TokenFlow}. */
export class TokenManager {
  private held: Credentials | undefined;
  private loaded: Promise<void> | undefined;
  private renewal: Promise<Credentials | undefined> | undefined;
  private readonly retired: string[] = [];
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(
    private readonly flow: TokenFlow,
    private readonly options: TokenManagerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** The credentials held now, if any. */
  get credentials(): Credentials | undefined {
    return this.held;
  }

  /** A valid token: held, renewed, or acquired. */
  async token(request: TokenRequest = {}): Promise<string> {
    await this.load();
    const held = this.reusable(request);
    if (held !== undefined) return held;
    for (;;) {
      const renewed = await this.renew(true, request.signal);
      if (renewed !== undefined) return renewed.accessToken;
    }
  }

  /** A token that needs no person to get, else `undefined`. */
  async tokenIfSignedIn(request: TokenRequest = {}): Promise<string | undefined> {
    await this.load();
    const held = this.reusable(request);
    if (held !== undefined) return held;
    if (this.flow.needsPerson && this.held?.refreshToken === undefined) return undefined;
    try {
      return (await this.renew(!this.flow.needsPerson, request.signal))?.accessToken;
    } catch (error) {
      // A refresh token the provider no longer honours means a person must sign in again,
      // which only the server's refusal should prompt.
      if (error instanceof AuthenticationError && error.code === "InvalidGrant") return undefined;
      throw error;
    }
  }

  /** Every secret held now, plus the last few tokens that were replaced. */
  secrets(): string[] {
    return [...credentialSecrets(this.held), ...this.retired, ...this.flow.secrets()];
  }

  /** Forgets the tokens, here and in the store. */
  async signOut(): Promise<void> {
    await this.load();
    this.retire(this.held);
    this.held = undefined;
    const store = this.options.store;
    if (store !== undefined && this.flow.storeKey !== undefined) {
      await store.delete(await this.flow.storeKey());
    }
  }

  /** Whether the credentials are good for a while yet. */
  private fresh(credentials: Credentials): boolean {
    if (credentials.expiresAt === undefined) return true;
    const lifetime = credentials.expiresAt - credentials.obtainedAt;
    const margin = Math.min(this.marginMs, Math.max(0, lifetime) / 2);
    return credentials.expiresAt - this.now() > margin;
  }

  /** The held token, when the request lets it be used. */
  private reusable(request: TokenRequest): string | undefined {
    const held = this.held;
    if (held === undefined || !this.fresh(held)) return undefined;
    if (!request.forceRefresh) return held.accessToken;
    // Refused, but someone already replaced the refused token: use the replacement.
    if (request.rejected !== undefined && held.accessToken !== request.rejected) {
      return held.accessToken;
    }
    return undefined;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const store = this.options.store;
      if (store === undefined || this.flow.storeKey === undefined) return;
      this.held = (await store.load(await this.flow.storeKey())) ?? this.held;
    })().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  /**
   * One renewal at a time: later callers join it. Resolves `undefined` when only a person
   * could help and `mayAcquire` is false; then a caller that may acquire starts another.
   */
  private async renew(
    mayAcquire: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Credentials | undefined> {
    let pending = this.renewal;
    if (pending === undefined) {
      pending = this.renewOnce(mayAcquire).finally(() => {
        if (this.renewal === pending) this.renewal = undefined;
      });
      this.renewal = pending;
    }
    const result = await abortable(pending, signal);
    if (result === undefined && mayAcquire && this.renewal === undefined) {
      return this.renew(mayAcquire, signal);
    }
    return result;
  }

  private async renewOnce(mayAcquire: boolean): Promise<Credentials | undefined> {
    const held = this.held;
    let next: Credentials | undefined;
    if (held?.refreshToken !== undefined && this.flow.refresh !== undefined) {
      try {
        next = await this.flow.refresh(held.refreshToken, undefined);
      } catch (error) {
        const revoked = error instanceof AuthenticationError && error.code === "InvalidGrant";
        if (!revoked) throw error;
        // The refresh token is dead: drop it, so nobody tries it again.
        await this.replace(undefined);
        if (!(mayAcquire && this.flow.mayAskPerson) && this.flow.needsPerson) throw error;
      }
    }
    if (next === undefined) {
      if (!mayAcquire) return undefined;
      if (this.flow.needsPerson && !this.flow.mayAskPerson) {
        throw authFailure({
          code: "SignInRequired",
          message: "the server needs a signed-in user, and this authenticator may not ask for one",
        });
      }
      next = await this.flow.acquire(undefined);
    }
    await this.replace(next);
    return next;
  }

  private async replace(next: Credentials | undefined): Promise<void> {
    if (this.held !== undefined && this.held.accessToken !== next?.accessToken) {
      this.retire(this.held);
    }
    this.held = next;
    const store = this.options.store;
    if (store === undefined || this.flow.storeKey === undefined) return;
    const key = await this.flow.storeKey();
    if (next === undefined) await store.delete(key);
    else await store.save(key, next);
  }

  private retire(credentials: Credentials | undefined): void {
    for (const secret of credentialSecrets(credentials)) {
      if (!this.retired.includes(secret)) this.retired.push(secret);
    }
    this.retired.splice(0, Math.max(0, this.retired.length - RETIRED_KEPT));
  }
}

/** The promise, or the signal's reason as soon as it aborts; the promise goes on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
