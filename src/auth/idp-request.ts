/**
 * One HTTP call to an identity provider or a discovery endpoint, and the typed error for
 * each way it can fail: unreachable, an untrusted certificate, an OAuth2 error reply
 * (RFC 6749 §5.2), or a reply that is not what an identity provider sends (a proxy page).
 *
 * @module
 */

import { findNetworkFailure, isTlsCertificateCode } from "../decode/network-error.js";
import { type AuthenticationError, isFlyteError } from "../errors/index.js";
import { type AuthFailureCode, authFailure } from "./auth-failure.js";

/** The `fetch` the authenticators use; Node's TLS options come in through a custom one. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** An OAuth2 error reply: `error`, and the optional description. */
export interface OAuthErrorReply {
  readonly error: string;
  readonly description?: string | undefined;
}

/** What a call was for, to say so in messages. */
export interface IdpCall {
  readonly fetch: FetchFunction;
  readonly url: string;
  /** For example "the token endpoint". */
  readonly what: string;
  readonly secrets: readonly string[];
  readonly signal?: AbortSignal | undefined;
}

/** The most of a foreign reply that is quoted. */
const QUOTE = 200;

/** The TLS verification code somewhere in a cause chain, if any. */
export function certificateFailureCode(error: unknown): string | undefined {
  let value: unknown = error;
  for (let depth = 0; depth < 8 && typeof value === "object" && value !== null; depth++) {
    const code = (value as { code?: unknown | undefined }).code;
    if (typeof code === "string" && isTlsCertificateCode(code)) return code;
    value = (value as { cause?: unknown | undefined }).cause;
  }
  return undefined;
}

/**
 * Sends the request. A network failure or an untrusted certificate becomes the typed error;
 * the caller's own abort is rethrown as it came.
 */
export async function sendIdpRequest(call: IdpCall, init: RequestInit): Promise<Response> {
  try {
    return await call.fetch(call.url, {
      ...init,
      redirect: "manual",
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason;
    // A typed error from the fetch itself (an unreadable CA file) already says what is wrong.
    if (isFlyteError(error)) throw error;
    throw unreachable(call, error);
  }
}

/** The error for a request that got no reply. */
export function unreachable(call: IdpCall, error: unknown): AuthenticationError {
  const certificate = certificateFailureCode(error);
  if (certificate !== undefined) {
    return authFailure({
      code: "CertificateInvalid",
      message: `the TLS certificate of ${call.what} (${call.url}) could not be verified: ${certificate}`,
      secrets: call.secrets,
      cause: error,
      details: { url: call.url, tlsCode: certificate },
    });
  }
  const network = findNetworkFailure(error);
  const why =
    network === undefined
      ? error instanceof Error
        ? error.message
        : String(error)
      : `${network.code}: ${network.message}`;
  return authFailure({
    code: "IdentityProviderUnreachable",
    message: `${call.what} (${call.url}) could not be reached: ${why}`,
    secrets: call.secrets,
    cause: error,
    details: { url: call.url, ...(network === undefined ? {} : { network: network.code }) },
  });
}

/** Reads a JSON object reply; `undefined` when the body is not one. */
export async function readJsonObject(
  response: Response,
): Promise<{ json: Record<string, unknown> | undefined; text: string }> {
  const text = await response.text().catch(() => "");
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      return { json: json as Record<string, unknown>, text };
    }
  } catch {
    // Not JSON: a proxy's page, or nothing.
  }
  return { json: undefined, text };
}

/** The RFC 6749 error of a reply, when it has one. */
export function oauthErrorOf(
  json: Record<string, unknown> | undefined,
): OAuthErrorReply | undefined {
  const error = json?.error;
  if (typeof error !== "string" || error === "") return undefined;
  const description = json?.error_description;
  return typeof description === "string" && description !== "" ? { error, description } : { error };
}

/** The code for an OAuth2 error name. */
function codeForOAuthError(error: string): AuthFailureCode {
  switch (error) {
    case "invalid_client":
    case "unauthorized_client":
      return "InvalidClient";
    case "invalid_grant":
      return "InvalidGrant";
    case "access_denied":
      return "AccessDenied";
    case "expired_token":
      return "DeviceCodeExpired";
    default:
      return "IdentityProviderError";
  }
}

/**
 * The error for a reply that is not a success: the OAuth2 error when the body carries one,
 * else the HTTP status and the start of the body. A provider's 5xx or 429 is worth a retry.
 */
export function failedReply(
  call: IdpCall,
  response: Response,
  body: { json: Record<string, unknown> | undefined; text: string },
): AuthenticationError {
  const oauth = oauthErrorOf(body.json);
  const status = response.status;
  if (oauth !== undefined) {
    const said =
      oauth.description === undefined ? oauth.error : `${oauth.error}: ${oauth.description}`;
    return authFailure({
      code: codeForOAuthError(oauth.error),
      message: `${call.what} refused the request (HTTP ${status}): ${said}`,
      secrets: call.secrets,
      details: {
        url: call.url,
        httpStatus: status,
        oauthError: oauth.error,
        ...(oauth.description === undefined ? {} : { oauthErrorDescription: oauth.description }),
      },
    });
  }
  const quoted = body.text.trim().slice(0, QUOTE);
  const overloaded = status >= 500 || status === 429;
  return authFailure({
    code: overloaded ? "IdentityProviderUnreachable" : "IdentityProviderError",
    message: `${call.what} answered HTTP ${status}${quoted === "" ? " with an empty body" : `: "${quoted}"`}`,
    secrets: call.secrets,
    details: {
      url: call.url,
      httpStatus: status,
      ...(quoted === "" ? {} : { body: quoted }),
      contentType: response.headers.get("content-type") ?? "",
    },
  });
}

/**
 * POSTs an `application/x-www-form-urlencoded` body and returns the JSON object of a 2xx
 * reply; every other outcome is a typed error.
 */
export async function postForm(
  call: IdpCall,
  form: Readonly<Record<string, string | undefined>>,
  headers: Readonly<Record<string, string>> = {},
): Promise<Record<string, unknown>> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value !== undefined && value !== "") body.set(key, value);
  }
  const response = await sendIdpRequest(call, {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
      "cache-control": "no-cache",
      ...headers,
    },
    body: body.toString(),
  });
  const read = await readJsonObject(response);
  if (!response.ok) throw failedReply(call, response, read);
  if (read.json === undefined) {
    throw authFailure({
      code: "IdentityProviderError",
      message: `${call.what} answered HTTP ${response.status} with a body that is not a JSON object: "${read.text.trim().slice(0, QUOTE)}"`,
      secrets: call.secrets,
      details: { url: call.url, httpStatus: response.status },
    });
  }
  return read.json;
}
