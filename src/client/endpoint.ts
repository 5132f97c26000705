import { InitializationError } from "../errors/failure.js";

/** Where the client connects, after the user's spelling has been normalised. */
export interface Endpoint {
  /** Base URL handed to connect, for example `https://flyte.example.com`. */
  readonly baseUrl: string;
  /** False for `http://` endpoints, which are meant for local use. */
  readonly secure: boolean;
}

/**
 * Accepts the spellings Flyte users already have in their configs: `https://host`,
 * `http://host:port`, a bare `host:port` (TLS, as the Python SDK assumes unless told
 * otherwise, except for loopback) and gRPC's `dns:///host:port`.
 */
export function parseEndpoint(endpoint: string): Endpoint {
  let text = endpoint.trim();
  if (text === "") {
    throw new InitializationError({
      code: "MissingEndpoint",
      message: "endpoint is empty; pass createClient({ endpoint }) or set FLYTE_ENDPOINT",
    });
  }
  if (text.startsWith("dns:///")) text = text.slice("dns:///".length);
  else if (text.startsWith("dns:")) text = text.slice("dns:".length).replace(/^\/+/, "");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = text.split("/")[0] ?? text;
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host);
    text = `${loopback ? "http" : "https"}://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new InitializationError({
      code: "InvalidEndpoint",
      message: `endpoint ${JSON.stringify(endpoint)} is not a URL, host:port or dns:///host`,
      cause,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InitializationError({
      code: "InvalidEndpoint",
      message: `endpoint scheme ${url.protocol} is not supported; use https:// or http://`,
    });
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { baseUrl: `${url.protocol}//${url.host}${path}`, secure: url.protocol === "https:" };
}
