/**
 * CORS for the test server, so a web app served from another origin (a Vite dev server,
 * a Storybook, a browser test page) can call it with connect-web. Off by default: a
 * server that nobody asked to open keeps refusing cross-origin calls, as a Flyte
 * deployment without a CORS policy does.
 *
 * Browsers preflight every Connect and gRPC-Web call, because their content types
 * (`application/proto`, `application/connect+proto`, `application/grpc-web+proto`) and
 * headers are not CORS-safelisted. The preflight is answered here, before connect's
 * router, which knows only POST and GET. The actual call then gets the allow-origin
 * header and the list of response headers a page may read: without `grpc-status` and
 * friends exposed, a browser hides a gRPC-Web error's code from connect-web, which then
 * reports a protocol error instead of the server's.
 *
 * @module
 */

/** Options of the test server's CORS policy. */
export interface CorsOptions {
  /**
   * The origins that may call, each a scheme, host and port such as
   * `http://localhost:5173`, or `"*"` for any origin. The allowed origin is echoed
   * back (with `Vary: Origin`), never `*`, so credentialed fetches work too.
   */
  origins: readonly string[] | "*";
}

/** Methods a cross-origin caller may use: Connect and gRPC-Web POST, Connect GET. */
export const corsAllowedMethods: readonly string[] = ["POST", "GET"];

/**
 * Request headers connect-web's transports send (Connect and gRPC-Web), plus the bearer
 * token the client adds.
 */
export const corsAllowedHeaders: readonly string[] = [
  "content-type",
  "connect-protocol-version",
  "connect-timeout-ms",
  "connect-content-encoding",
  "connect-accept-encoding",
  "x-grpc-web",
  "x-user-agent",
  "grpc-timeout",
  "grpc-accept-encoding",
  "authorization",
];

/**
 * Response headers a page may read besides the safelisted ones: gRPC-Web status in
 * headers (a trailers-only reply), the encodings of both protocols, `retry-after`, which
 * the client honours when a gateway sends it, and what the decoders keep from an error's
 * metadata (`x-request-id`, `traceparent`, an auth challenge).
 */
export const corsExposedHeaders: readonly string[] = [
  "grpc-status",
  "grpc-message",
  "grpc-status-details-bin",
  "grpc-encoding",
  "grpc-accept-encoding",
  "connect-content-encoding",
  "connect-accept-encoding",
  "content-encoding",
  "retry-after",
  "x-request-id",
  "traceparent",
  "www-authenticate",
];

/** How long a browser may cache a preflight; Chromium caps it at two hours. */
const preflightMaxAgeSeconds = 7200;

/** What the policy reads of a request: node's HTTP/1.1 and HTTP/2 requests both fit. */
export interface CorsRequest {
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What the policy writes to a response: node's HTTP/1.1 and HTTP/2 responses both fit. */
export interface CorsResponse {
  setHeader(name: string, value: string): unknown;
  writeHead(status: number): unknown;
  end(body: string): unknown;
}

/**
 * Applies the policy to one request. Returns true when it answered the request itself
 * (a preflight), false when the request goes on to the router, with the CORS response
 * headers already set when its origin is allowed.
 */
export type CorsPolicy = (req: CorsRequest, res: CorsResponse) => boolean;

/**
 * Validates `options` and builds the policy. Throws a TypeError naming the bad origin,
 * since a typo there would otherwise show up only as a browser's CORS error.
 */
export function createCorsPolicy(options: CorsOptions): CorsPolicy {
  const allowed = options.origins === "*" ? "*" : new Set(options.origins.map(normalizeOrigin));
  const isAllowed = (origin: string) => allowed === "*" || allowed.has(origin);
  return (req, res) => {
    const origin = single(req.headers.origin);
    if (origin === undefined) return false;
    const preflight =
      req.method === "OPTIONS" &&
      single(req.headers["access-control-request-method"]) !== undefined;
    res.setHeader(
      "vary",
      preflight
        ? "origin, access-control-request-method, access-control-request-headers"
        : "origin",
    );
    if (!isAllowed(origin)) {
      if (!preflight) return false;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.writeHead(403);
      res.end(`CORS: origin ${origin} is not allowed by this test server\n`);
      return true;
    }
    res.setHeader("access-control-allow-origin", origin);
    if (!preflight) {
      res.setHeader("access-control-expose-headers", corsExposedHeaders.join(", "));
      return false;
    }
    res.setHeader("access-control-allow-methods", corsAllowedMethods.join(", "));
    res.setHeader("access-control-allow-headers", corsAllowedHeaders.join(", "));
    res.setHeader("access-control-max-age", String(preflightMaxAgeSeconds));
    res.writeHead(204);
    res.end("");
    return true;
  };
}

/**
 * An origin as browsers send it: `scheme://host[:port]`, no path, default port dropped.
 * `http://localhost:5173/` becomes `http://localhost:5173`; anything that is not an
 * http(s) origin is refused.
 */
export function normalizeOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`CORS origin '${text}' is not a URL; write it as http://host:port`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin === "null") {
    throw new TypeError(`CORS origin '${text}' must be an http or https origin`);
  }
  const extra = url.username !== "" || url.search !== "" || url.hash !== "";
  if (extra || (url.pathname !== "/" && url.pathname !== "")) {
    throw new TypeError(
      `CORS origin '${text}' has more than an origin; an origin is only scheme, host and port (${url.origin})`,
    );
  }
  return url.origin;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
