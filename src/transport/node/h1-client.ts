import * as http from "node:http";
import * as https from "node:https";
import type { Readable } from "node:stream";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalClientFn } from "@connectrpc/connect/protocol";
import { transportFailure } from "./h2-errors.js";

/** An HTTP/1.1 client for the Connect and gRPC-Web protocols, and the agent to close. */
export interface H1Client {
  readonly fetch: UniversalClientFn;
  /** Destroys every kept-alive socket; calls in flight fail. */
  close(): void;
}

/**
 * connect's universal HTTP client over Node's HTTP/1.1, for proxies that cannot do HTTP/2.
 * Sockets are kept alive and reused; a socket failure rejects as ConnectError UNAVAILABLE
 * with the Node error as its cause, for the decoders.
 */
export function createH1Client(tls: https.AgentOptions): H1Client {
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true, ...tls }),
  };
  let closed = false;
  const fetch: UniversalClientFn = (request) => {
    if (closed) {
      return Promise.reject(new ConnectError("the client is closed", Code.Canceled));
    }
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = {};
    request.header.forEach((value, key) => {
      headers[key] = value;
    });
    return new Promise((resolve, reject) => {
      const signal = request.signal;
      const req = (secure ? https : http).request(url, {
        method: request.method,
        headers,
        agent: secure ? agents.https : agents.http,
      });
      const onAbort = () => {
        const reason = ConnectError.from(signal?.reason, Code.Canceled);
        req.destroy(reason);
        reject(reason);
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(
          signal?.aborted
            ? ConnectError.from(signal.reason, Code.Canceled)
            : transportFailure(error),
        );
      });
      req.on("response", (res) => {
        const header = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          if (Array.isArray(value)) for (const v of value) header.append(key, v);
          else header.set(key, value);
        }
        const trailer = new Headers();
        resolve({
          status: res.statusCode ?? 0,
          header,
          body: readBody(res, trailer, signal, () => signal?.removeEventListener("abort", onAbort)),
          trailer,
        });
      });
      void writeBody(req, request.body).catch((error: unknown) => req.destroy(error as Error));
    });
  };
  return {
    fetch,
    close() {
      closed = true;
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

async function writeBody(
  req: http.ClientRequest,
  body: AsyncIterable<Uint8Array> | undefined,
): Promise<void> {
  if (body !== undefined) for await (const chunk of body) req.write(chunk);
  req.end();
}

async function* readBody(
  res: Readable & { trailers?: NodeJS.Dict<string> | undefined },
  trailer: Headers,
  signal: AbortSignal | undefined,
  done: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of res) yield chunk as Uint8Array;
    for (const [key, value] of Object.entries(res.trailers ?? {})) {
      if (value !== undefined) trailer.set(key, value);
    }
  } catch (error) {
    if (signal?.aborted) throw ConnectError.from(signal.reason, Code.Canceled);
    throw transportFailure(error);
  } finally {
    done();
    if (!res.readableEnded) res.destroy();
  }
}
