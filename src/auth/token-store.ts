/**
 * Where tokens are kept between calls, and between processes when the store is a file
 * (`fileTokenStore` in `flyte-remote/config`), so that a person signs in once, not once per
 * command.
 *
 * @module
 */

import type { Credentials } from "./credentials.js";

/** Tokens are kept per endpoint and client id. */
export interface TokenStoreKey {
  /** The endpoint's base URL, for example `https://flyte.example.com`. */
  readonly endpoint: string;
  readonly clientId: string;
}

/** A place to keep {@link Credentials}. Implementations must never log what they keep. */
export interface TokenStore {
  /** The tokens kept for the key; `undefined` when none, or when what is kept is unreadable. */
  load(key: TokenStoreKey): Promise<Credentials | undefined>;
  save(key: TokenStoreKey, credentials: Credentials): Promise<void>;
  /** Forgets the key's tokens; no error when there were none. */
  delete(key: TokenStoreKey): Promise<void>;
}

/** A store in this process's memory: tokens last as long as the process. */
export function memoryTokenStore(): TokenStore {
  const entries = new Map<string, Credentials>();
  const id = (key: TokenStoreKey) => JSON.stringify([key.endpoint, key.clientId]);
  return {
    async load(key) {
      return entries.get(id(key));
    },
    async save(key, credentials) {
      entries.set(id(key), credentials);
    },
    async delete(key) {
      entries.delete(id(key));
    },
  };
}
