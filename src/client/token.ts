import type { Interceptor } from "@connectrpc/connect";
import { userEntryPoint } from "../errors/index.js";

/** A bearer token, or a function that fetches one (for example from a secret store). */
export type TokenOption = string | (() => string | Promise<string>);

/**
 * Caches the token and refreshes it on demand. The provider is user code, so it runs in
 * the user scope: a provider that throws surfaces as a user-scoped error, not as a crash
 * of the client. The token itself never leaves this object except in the header.
 */
export class TokenSource {
  private cached: Promise<string> | undefined;
  private readonly provider: (() => Promise<string>) | undefined;
  /** Tokens handed out lately, newest last: a server may echo any of them. */
  private readonly issued: string[] = [];

  constructor(option: TokenOption | undefined) {
    if (typeof option === "function") {
      const call = userEntryPoint(option);
      this.provider = async () => this.remember(await call());
    } else if (option !== undefined) {
      this.cached = Promise.resolve(this.remember(option));
    }
  }

  /**
   * Every credential this source has handed out lately. The client passes them to every
   * decoder, so a server that echoes the token it was sent (in its message, a header,
   * ErrorInfo metadata or DebugInfo) never gets it into an error.
   */
  secrets(): readonly string[] {
    return this.issued;
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
    return this.provider !== undefined;
  }

  /** True when calls carry a token at all. */
  get present(): boolean {
    return this.provider !== undefined || this.cached !== undefined;
  }

  get(): Promise<string> | undefined {
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
  }

  /** Sets `authorization: Bearer …` on every request. */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const token = this.get();
      if (token !== undefined) req.header.set("authorization", `Bearer ${await token}`);
      return next(req);
    };
  }
}
