/**
 * Tokens kept in files readable only by the user, one file per endpoint and client id, under
 * the user's cache directory; so that `flyte-remote login` once serves every later command.
 *
 * Files are written whole and renamed into place, so a reader never sees half a file and two
 * processes signing in at once cannot interleave. A file that others can read is ignored:
 * it is no longer known to be ours alone.
 *
 * @module
 */

import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "../credentials.js";
import type { TokenStore, TokenStoreKey } from "../token-store.js";

/** What a token file holds. */
export interface StoredTokens extends Credentials {
  readonly endpoint: string;
  readonly clientId: string;
}

/** A {@link TokenStore} in files, which can also list and forget by endpoint. */
export interface FileTokenStore extends TokenStore {
  /** The directory the files are in. */
  readonly dir: string;
  /** Every readable entry. */
  list(): Promise<StoredTokens[]>;
  /** Forgets every entry of an endpoint (whatever its client id); resolves how many. */
  deleteEndpoint(endpoint: string): Promise<number>;
}

/** Options of {@link fileTokenStore}. */
export interface FileTokenStoreOptions {
  /** Default: {@link defaultTokenCacheDir}. */
  dir?: string | undefined;
}

/**
 * `$XDG_CACHE_HOME/flyte-remote/tokens` when set; else `~/Library/Caches/flyte-remote/tokens`
 * on macOS, `%LOCALAPPDATA%\flyte-remote\tokens` on Windows, `~/.cache/flyte-remote/tokens`
 * elsewhere.
 */
export function defaultTokenCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== "") return join(xdg, "flyte-remote", "tokens");
  if (platform === "darwin") return join(home, "Library", "Caches", "flyte-remote", "tokens");
  if (platform === "win32") {
    const local = env.LOCALAPPDATA;
    return join(local ?? join(home, "AppData", "Local"), "flyte-remote", "tokens");
  }
  return join(home, ".cache", "flyte-remote", "tokens");
}

const FORMAT = 1;

function fileName(key: TokenStoreKey): string {
  const hash = createHash("sha256").update(JSON.stringify([key.endpoint, key.clientId]));
  return `${hash.digest("hex").slice(0, 40)}.json`;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The entry a file holds, or `undefined` for anything else. */
function parseEntry(raw: string): StoredTokens | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null) return undefined;
  const o = json as Record<string, unknown>;
  const accessToken = text(o.accessToken);
  const endpoint = text(o.endpoint);
  if (o.version !== FORMAT || accessToken === undefined || endpoint === undefined) return undefined;
  const optional = {
    refreshToken: text(o.refreshToken),
    idToken: text(o.idToken),
    expiresAt: finite(o.expiresAt),
    scope: text(o.scope),
  };
  return {
    endpoint,
    clientId: typeof o.clientId === "string" ? o.clientId : "",
    accessToken,
    obtainedAt: finite(o.obtainedAt) ?? 0,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** A token store in 0600 files under a 0700 directory. */
export function fileTokenStore(options: FileTokenStoreOptions = {}): FileTokenStore {
  const dir = options.dir ?? defaultTokenCacheDir();
  const ownerOnly = process.platform !== "win32";

  async function readEntry(path: string): Promise<StoredTokens | undefined> {
    try {
      if (ownerOnly && ((await stat(path)).mode & 0o077) !== 0) return undefined;
      return parseEntry(await readFile(path, "utf8"));
    } catch {
      return undefined;
    }
  }

  async function files(): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((f) => f.endsWith(".json")).map((f) => join(dir, f));
    } catch {
      return [];
    }
  }

  return {
    dir,
    async load(key) {
      const entry = await readEntry(join(dir, fileName(key)));
      if (
        entry === undefined ||
        entry.endpoint !== key.endpoint ||
        entry.clientId !== key.clientId
      ) {
        return undefined;
      }
      const { endpoint: _e, clientId: _c, ...credentials } = entry;
      return credentials;
    },
    async save(key, credentials) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (ownerOnly) await chmod(dir, 0o700);
      const target = join(dir, fileName(key));
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      const entry = {
        version: FORMAT,
        endpoint: key.endpoint,
        clientId: key.clientId,
        ...credentials,
      };
      await writeFile(temporary, `${JSON.stringify(entry)}\n`, { mode: 0o600, flag: "wx" });
      try {
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async delete(key) {
      await rm(join(dir, fileName(key)), { force: true });
    },
    async list() {
      const entries: StoredTokens[] = [];
      for (const path of await files()) {
        const entry = await readEntry(path);
        if (entry !== undefined) entries.push(entry);
      }
      return entries;
    },
    async deleteEndpoint(endpoint) {
      let removed = 0;
      for (const path of await files()) {
        const entry = await readEntry(path);
        if (entry?.endpoint === endpoint) {
          await rm(path, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
