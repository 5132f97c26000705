/**
 * The token file cache: one 0600 file per endpoint and client id, written whole, ignored
 * when others could read it or when it is not ours, and forgotten per endpoint on logout.
 */

import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultTokenCacheDir, fileTokenStore } from "../../src/config/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "flyte-remote-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const A = { endpoint: "https://a.example.com", clientId: "flytectl" };
const B = { endpoint: "https://b.example.com", clientId: "flytectl" };
const tokens = (n: number) => ({
  accessToken: `access-${n}-secret-value`,
  refreshToken: `refresh-${n}-secret-value`,
  obtainedAt: 1_000 * n,
  expiresAt: 1_000 * n + 3_600_000,
});

describe("fileTokenStore", () => {
  it("keeps one 0600 file per endpoint and client id in a 0700 directory", async () => {
    const store = fileTokenStore({ dir: join(dir, "tokens") });
    await store.save(A, tokens(1));
    await store.save(B, tokens(2));
    await store.save({ ...A, clientId: "other" }, tokens(3));
    expect(await store.load(A)).toEqual(tokens(1));
    expect(await store.load(B)).toEqual(tokens(2));
    expect(await store.load({ ...A, clientId: "other" })).toEqual(tokens(3));
    expect(await store.load({ ...A, clientId: "nobody" })).toBeUndefined();
    const files = await readdir(store.dir);
    expect(files).toHaveLength(3);
    for (const file of files) expect((await stat(join(store.dir, file))).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
  });

  it("replaces an entry whole, under concurrent saves, leaving no temporary files", async () => {
    const store = fileTokenStore({ dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(A, tokens(i))));
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const loaded = await store.load(A);
    expect(loaded?.accessToken).toMatch(/^access-\d+-secret-value$/);
  });

  it("ignores a file others can read, a corrupt file, and another entry's file", async () => {
    const store = fileTokenStore({ dir });
    await store.save(A, tokens(1));
    const [name = ""] = await readdir(dir);
    const file = join(dir, name);
    await chmod(file, 0o644);
    expect(await store.load(A)).toBeUndefined();
    await chmod(file, 0o600);
    expect(await store.load(A)).toEqual(tokens(1));
    await writeFile(file, "{ not json", { mode: 0o600 });
    expect(await store.load(A)).toBeUndefined();
    // A file renamed to another key's name does not answer for that key.
    await store.save(B, tokens(2));
    const text = await readFile(
      join(dir, (await readdir(dir)).find((f) => f !== name) ?? ""),
      "utf8",
    );
    await writeFile(file, text, { mode: 0o600 });
    expect(await store.load(A)).toBeUndefined();
  });

  it("lists entries and forgets every client of an endpoint", async () => {
    const store = fileTokenStore({ dir });
    await store.save(A, tokens(1));
    await store.save({ ...A, clientId: "other" }, tokens(2));
    await store.save(B, tokens(3));
    expect((await store.list()).map((e) => [e.endpoint, e.clientId]).sort()).toEqual([
      [A.endpoint, "flytectl"],
      [A.endpoint, "other"],
      [B.endpoint, "flytectl"],
    ]);
    expect(await store.deleteEndpoint(A.endpoint)).toBe(2);
    expect(await store.load(A)).toBeUndefined();
    expect(await store.load(B)).toEqual(tokens(3));
    await store.delete(B);
    expect(await readdir(dir)).toEqual([]);
    expect(await fileTokenStore({ dir: join(dir, "absent") }).list()).toEqual([]);
  });
});

describe("defaultTokenCacheDir", () => {
  it("follows XDG_CACHE_HOME, then each platform's cache directory", () => {
    expect(defaultTokenCacheDir({ XDG_CACHE_HOME: "/x" }, "darwin", "/h")).toBe(
      "/x/flyte-remote/tokens",
    );
    expect(defaultTokenCacheDir({}, "linux", "/h")).toBe("/h/.cache/flyte-remote/tokens");
    expect(defaultTokenCacheDir({}, "darwin", "/h")).toBe("/h/Library/Caches/flyte-remote/tokens");
    expect(defaultTokenCacheDir({ LOCALAPPDATA: "/l" }, "win32", "/h")).toBe(
      join("/l", "flyte-remote", "tokens"),
    );
  });
});
