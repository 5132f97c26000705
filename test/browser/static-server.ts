/**
 * A tiny static server on 127.0.0.1 for test pages: a fixed map of paths to bodies,
 * nothing read from disk at request time. 127.0.0.1 is a secure context for browsers,
 * so service workers (msw) register on it without TLS.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One file the server answers with. */
export interface StaticFile {
  readonly body: string | Uint8Array;
  readonly type: string;
}

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>`, the pages' origin. */
  readonly url: string;
  /** Closes the listener and every open connection. */
  close(): Promise<void>;
}

/**
 * A test page's HTML: loads each of `scripts` as a module, in order. The empty icon
 * keeps the browser from asking for /favicon.ico, whose 404 would read as a page error.
 */
export function pageHtml(...scripts: readonly string[]): StaticFile {
  const tags = scripts.map((src) => `<script type="module" src="${src}"></script>`).join("\n");
  return {
    type: "text/html; charset=utf-8",
    body: `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>flyte-remote test page</title></head>\n<body>\n${tags}\n</body></html>\n`,
  };
}

/** Serves `files` (keyed by path, e.g. `/index.html`) until closed. */
export async function serveStatic(
  files: Readonly<Record<string, StaticFile>>,
): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const file = files[path];
    if (file === undefined || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`not found: ${path}\n`);
      return;
    }
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
