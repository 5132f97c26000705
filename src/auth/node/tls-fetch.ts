/**
 * A `fetch` for calls to identity providers that honours the cluster's TLS settings (a
 * private CA, or no verification for a test cluster), which Node's global `fetch` cannot be
 * told about without a dependency.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { InitializationError } from "../../errors/index.js";
import type { TlsOptions } from "../../transport/connections.js";
import type { FetchFunction } from "../idp-request.js";

/** The most of a reply body that is read. */
const MAX_BODY = 4 * 1024 * 1024;
/** Give up on a reply after this long. */
const TIMEOUT_MS = 30_000;

/** Whether the options change anything compared with the system defaults. */
export function hasTlsSettings(tls: TlsOptions | undefined): boolean {
  return (
    tls !== undefined &&
    (tls.caCert !== undefined || tls.caCertFile !== undefined || tls.insecureSkipVerify === true)
  );
}

/** The CAs to trust: the system's plus the configured ones; read once. */
function trustedCas(tls: TlsOptions): () => Promise<string[] | undefined> {
  let cas: Promise<string[] | undefined> | undefined;
  return () => {
    cas ??= (async () => {
      const extra: string[] = [];
      if (tls.caCert !== undefined) {
        extra.push(
          typeof tls.caCert === "string" ? tls.caCert : new TextDecoder().decode(tls.caCert),
        );
      }
      if (tls.caCertFile !== undefined) {
        try {
          extra.push(await readFile(tls.caCertFile, "utf8"));
        } catch (cause) {
          throw new InitializationError({
            code: "InvalidCaCertFile",
            message: `cannot read the CA certificate file ${tls.caCertFile} (admin.caCertFilePath): ${(cause as Error).message}`,
            hint: "Point admin.caCertFilePath (tls.caCertFile) at a readable PEM file.",
            cause,
          });
        }
      }
      return extra.length === 0 ? undefined : [...rootCertificates, ...extra];
    })();
    return cas;
  };
}

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** A `fetch` over `node:https` with the given trust settings. Redirects are not followed. */
export function createTlsFetch(tls: TlsOptions): FetchFunction {
  const cas = trustedCas(tls);
  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    const method = init.method ?? request?.method ?? "GET";
    const headers = new Headers(init.headers ?? request?.headers);
    const body =
      init.body !== undefined && init.body !== null
        ? new Uint8Array(await new Response(init.body).arrayBuffer())
        : request !== undefined && request.body !== null
          ? new Uint8Array(await request.arrayBuffer())
          : undefined;
    const signal = init.signal ?? request?.signal ?? undefined;
    signal?.throwIfAborted();
    const ca = url.protocol === "https:" ? await cas() : undefined;
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(url, {
        method,
        headers: Object.fromEntries(headers.entries()),
        ...(ca === undefined ? {} : { ca }),
        ...(url.protocol === "https:" && tls.insecureSkipVerify
          ? { rejectUnauthorized: false }
          : {}),
        ...(signal === undefined ? {} : { signal }),
      });
      req.setTimeout(TIMEOUT_MS, () => {
        const error = Object.assign(new Error(`no reply within ${TIMEOUT_MS / 1000} s`), {
          code: "ETIMEDOUT",
        });
        req.destroy(error);
      });
      req.once("error", (error) => reject(signal?.aborted ? signal.reason : error));
      req.once("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            req.destroy(new Error(`the reply is larger than ${MAX_BODY} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.once("error", reject);
        res.once("end", () => {
          const status = res.statusCode ?? 0;
          const empty = status === 204 || status === 304 || status < 200;
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), {
              status: status < 200 ? 502 : status,
              statusText: res.statusMessage ?? "",
              headers: headersOf(res),
            }),
          );
        });
      });
      req.end(body);
    });
  };
}
