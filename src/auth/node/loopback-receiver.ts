/**
 * The Node side of a PKCE sign-in: a one-shot HTTP listener on the loopback redirect URI
 * (RFC 8252 §7.3), and a browser opened at the sign-in page.
 *
 * @module
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { authFailure } from "../auth-failure.js";
import type { AuthorizationReceiver, AuthorizationSession } from "../pkce.js";
import { openInBrowser } from "./open-browser.js";

/** Options of {@link loopbackReceiver}. */
export interface LoopbackReceiverOptions {
  /**
   * Takes the person to the URL. Default: the system browser (`BROWSER`, else `open`,
   * `xdg-open` or Windows' URL handler). Resolve `false` when it could not be opened; the
   * URL is then only printed.
   */
  openBrowser?: ((url: string) => boolean | Promise<boolean>) | undefined;
  /** Told the URL, to print it for people whose browser did not open. Default: stderr. */
  onUrl?: ((url: string, opened: boolean) => void) | undefined;
}

const LOOPBACK: Readonly<Record<string, string>> = {
  localhost: "127.0.0.1",
  "127.0.0.1": "127.0.0.1",
  "[::1]": "::1",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}

function defaultOnUrl(url: string, opened: boolean): void {
  process.stderr.write(
    opened
      ? `Signing in through your browser. If nothing opened, go to:\n  ${url}\n`
      : `Open this URL in a browser to sign in:\n  ${url}\n`,
  );
}

/**
 * A receiver that listens once on the redirect URI's loopback address and port (port 0, or
 * a redirect URI without one, picks a free port, which native clients may do per RFC 8252),
 * and answers the browser with a page saying whether to go back to the terminal.
 */
export function loopbackReceiver(options: LoopbackReceiverOptions = {}): AuthorizationReceiver {
  return {
    async open(redirectUri: string): Promise<AuthorizationSession> {
      let url: URL;
      try {
        url = new URL(redirectUri);
      } catch {
        throw notLoopback(redirectUri);
      }
      const host = LOOPBACK[url.hostname];
      if (url.protocol !== "http:" || host === undefined) throw notLoopback(redirectUri);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error) =>
          reject(
            authFailure({
              code: "AuthNotConfigured",
              message: `cannot listen on ${url.host} for the sign-in redirect: ${error.message}`,
              hint: "Close whatever holds that port (another sign-in?), or register a redirect URI with another port.",
              cause: error,
            }),
          ),
        );
        server.listen(Number(url.port || "0"), host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      url.port = String(port);
      return session(server, url, options);
    },
  };
}

function notLoopback(redirectUri: string) {
  return authFailure({
    code: "AuthNotConfigured",
    message: `the redirect URI ${redirectUri} is not an http:// loopback address, so this process cannot receive the sign-in`,
    hint: "Register and use a loopback redirect URI such as http://localhost:53593/callback.",
  });
}

function session(server: Server, url: URL, options: LoopbackReceiverOptions): AuthorizationSession {
  const redirectUri = url.toString();
  return {
    redirectUri,
    complete(authorizationUrl, signal) {
      return new Promise<URLSearchParams>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        server.on("request", (req, res) => {
          const got = new URL(req.url ?? "/", redirectUri);
          if (req.method !== "GET" || got.pathname !== url.pathname) {
            res.writeHead(404, { "content-type": "text/plain" }).end("not found");
            return;
          }
          const query = got.searchParams;
          const error = query.get("error");
          res.writeHead(error === null ? 200 : 400, {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "no-store",
            connection: "close",
          });
          res.end(
            error === null
              ? page("Signed in to Flyte", "You can close this tab and go back to the terminal.")
              : page("Sign-in did not complete", `The identity provider said: ${error}.`),
          );
          signal.removeEventListener("abort", onAbort);
          resolve(query);
        });
        void (async () => {
          let opened = false;
          try {
            opened = await (options.openBrowser ?? openInBrowser)(authorizationUrl);
          } catch {
            opened = false;
          }
          (options.onUrl ?? defaultOnUrl)(authorizationUrl, opened);
        })();
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
