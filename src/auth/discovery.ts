/**
 * Discovery: asks a Flyte cluster where and how to sign in, through its
 * `flyteidl2.auth.AuthMetadataService` (both RPCs answer without credentials).
 *
 * The two calls are made with the Connect protocol over plain `fetch`, which every Flyte 2
 * backend serves (connect-go), so discovery works in browsers as in Node and never goes
 * through the client's own transport, whose auth interceptor would wait for the very token
 * that discovery is needed for.
 *
 * @module
 */

import {
  create,
  type DescMessage,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  AuthMetadataService,
  GetOAuth2MetadataRequestSchema,
  GetOAuth2MetadataResponseSchema,
  GetPublicClientConfigRequestSchema,
  GetPublicClientConfigResponseSchema,
} from "../gen/flyteidl2/auth/auth_service_pb.js";
import { authFailure } from "./auth-failure.js";
import { type FetchFunction, type IdpCall, readJsonObject, sendIdpRequest } from "./idp-request.js";

/** Where and how to sign in to one cluster. Empty strings mean "not offered". */
export interface AuthServerInfo {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly jwksUri: string;
  /** Client authentication methods the token endpoint accepts; empty when unknown. */
  readonly tokenEndpointAuthMethods: readonly string[];
  /** The public client's id (for PKCE and the device flow). */
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly audience: string;
  /** The header that carries the token; `authorization` unless the cluster says otherwise. */
  readonly headerName: string;
}

/** Options of {@link discoverAuth}. */
export interface DiscoverOptions {
  readonly fetch?: FetchFunction | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The base URL of a Flyte endpoint as users spell it: `https://host`, `http://host:port`,
 * `host:port` (TLS unless loopback) or `dns:///host:port`.
 */
export function endpointBaseUrl(endpoint: string): string {
  let text = endpoint.trim().replace(/^dns:\/*/, "");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = text.split("/")[0] ?? "";
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host);
    text = `${loopback ? "http" : "https"}://${text}`;
  }
  return text.replace(/\/+$/, "");
}

/**
 * Calls GetOAuth2Metadata and GetPublicClientConfig. Fails with an
 * `AuthenticationError`: `IdentityProviderUnreachable` (retryable) when the cluster cannot be
 * reached, `DiscoveryFailed` when it answers with an error or does not serve the service.
 */
export async function discoverAuth(
  endpoint: string,
  options: DiscoverOptions = {},
): Promise<AuthServerInfo> {
  const base = endpointBaseUrl(endpoint);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const metadata = await connectUnary(
    fetchFn,
    base,
    "GetOAuth2Metadata",
    GetOAuth2MetadataRequestSchema,
    GetOAuth2MetadataResponseSchema,
    options.signal,
  );
  const client = await connectUnary(
    fetchFn,
    base,
    "GetPublicClientConfig",
    GetPublicClientConfigRequestSchema,
    GetPublicClientConfigResponseSchema,
    options.signal,
  );
  return {
    issuer: metadata.issuer,
    tokenEndpoint: metadata.tokenEndpoint,
    authorizationEndpoint: metadata.authorizationEndpoint,
    deviceAuthorizationEndpoint: metadata.deviceAuthorizationEndpoint,
    jwksUri: metadata.jwksUri,
    tokenEndpointAuthMethods: [...metadata.tokenEndpointAuthMethodsSupported],
    clientId: client.clientId,
    redirectUri: client.redirectUri,
    scopes: [...client.scopes],
    audience: client.audience,
    headerName: client.authorizationMetadataKey || "authorization",
  };
}

/** One unary call with the Connect protocol's binary encoding. */
async function connectUnary<I extends DescMessage, O extends DescMessage>(
  fetchFn: FetchFunction,
  base: string,
  method: "GetOAuth2Metadata" | "GetPublicClientConfig",
  input: I,
  output: O,
  signal: AbortSignal | undefined,
): Promise<MessageShape<O>> {
  const url = `${base}/${AuthMetadataService.typeName}/${method}`;
  const call: IdpCall = {
    fetch: fetchFn,
    url,
    what: `discovery (${AuthMetadataService.typeName}/${method})`,
    secrets: [],
    signal,
  };
  const response = await sendIdpRequest(call, {
    method: "POST",
    headers: { "content-type": "application/proto", "connect-protocol-version": "1" },
    body: toBinary(input, create(input)),
  });
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && type.startsWith("application/proto")) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    try {
      return fromBinary(output, bytes);
    } catch (cause) {
      throw authFailure({
        code: "DiscoveryFailed",
        message: `${call.what} at ${base} answered with a message that does not decode`,
        cause,
        details: { url, httpStatus: response.status },
      });
    }
  }
  const body = await readJsonObject(response);
  const connectCode = typeof body.json?.code === "string" ? body.json.code : undefined;
  const serverSaid = typeof body.json?.message === "string" ? body.json.message : undefined;
  const unreachable = response.status >= 500 || response.status === 429;
  const notServed =
    connectCode === "unimplemented" || response.status === 404 || response.status === 405;
  const said =
    connectCode !== undefined
      ? `${connectCode}${serverSaid === undefined ? "" : `: ${serverSaid}`}`
      : `HTTP ${response.status}${type === "" ? "" : ` (${type})`}: "${body.text.trim().slice(0, 200)}"`;
  throw authFailure({
    code: unreachable && !notServed ? "IdentityProviderUnreachable" : "DiscoveryFailed",
    message: notServed
      ? `${base} does not serve ${AuthMetadataService.typeName}, so it cannot say where to sign in (${said})`
      : `${call.what} at ${base} failed: ${said}`,
    ...(notServed
      ? {
          hint: "This server may not use auth at all; otherwise give tokenEndpoint and clientId (or the API key) yourself.",
        }
      : {}),
    details: {
      url,
      httpStatus: response.status,
      ...(connectCode === undefined ? {} : { connectCode }),
    },
  });
}
