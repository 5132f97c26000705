/**
 * The test server's opt-in auth mode: it serves `AuthMetadataService` pointing at a real
 * OpenID provider, and refuses every other call whose access token does not verify against
 * that provider's keys, as a Flyte cluster with auth does.
 *
 * @module
 */

import { create } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type HandlerContext,
  type ServiceImpl,
} from "@connectrpc/connect";
import {
  AuthMetadataService,
  GetOAuth2MetadataResponseSchema,
  GetPublicClientConfigResponseSchema,
} from "../gen/flyteidl2/auth/auth_service_pb.js";
import { JwtVerifier, TokenRefused } from "./jwt-verifier.js";

/** Options of the auth mode: `startTestServer({ auth })`. */
export interface TestServerAuthOptions {
  /**
   * The provider's issuer URL. Its `/.well-known/openid-configuration` is read at start for
   * the endpoints and the JWKS.
   */
  issuer: string;
  /** When set, access tokens must carry it in `aud`. */
  audience?: string | undefined;
  /**
   * The `fetch` for the provider's discovery document and keys; default the global one. Give
   * one that trusts the provider's CA when it has a private one.
   */
  fetch?: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  /** What GetPublicClientConfig answers. */
  publicClient?:
    | {
        clientId?: string | undefined;
        redirectUri?: string | undefined;
        scopes?: readonly string[] | undefined;
        audience?: string | undefined;
        /** The header clients send the token in; default `authorization`. */
        authorizationMetadataKey?: string | undefined;
      }
    | undefined;
}

/** The auth mode of a running test server. */
export interface TestServerAuth {
  /** Refuses this access token from now on, as if the server learnt it was revoked. */
  revoke(accessToken: string): void;
  /** Calls let through and refused since start (AuthMetadataService not counted). */
  counts(): { accepted: number; refused: number };
  /** The `sub` (or `client_id`) of every accepted token, in order; for assertions. */
  readonly subjects: readonly string[];
}

/** The provider's metadata (OpenID Connect Discovery 1.0 / RFC 8414). */
type ProviderMetadata = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Reads the provider's discovery document. */
export async function fetchProviderMetadata(
  options: TestServerAuthOptions,
): Promise<ProviderMetadata> {
  const url = `${options.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const response = await (options.fetch ?? fetch)(url);
  if (!response.ok) {
    throw new Error(`the provider's discovery document ${url} answered HTTP ${response.status}`);
  }
  return (await response.json()) as ProviderMetadata;
}

/** The auth mode: the AuthMetadataService routes, the request gate, and the controls. */
export function authMode(
  options: TestServerAuthOptions,
  metadata: ProviderMetadata,
): {
  routes: (router: ConnectRouter) => void;
  gate: (ctx: HandlerContext) => Promise<void>;
  control: TestServerAuth;
} {
  const verifier = new JwtVerifier({
    issuer: text(metadata.issuer) || options.issuer,
    jwksUri: text(metadata.jwks_uri),
    audience: options.audience,
    fetch: options.fetch,
  });
  const client = options.publicClient ?? {};
  const header = client.authorizationMetadataKey ?? "authorization";
  const revoked = new Set<string>();
  const subjects: string[] = [];
  let accepted = 0;
  let refused = 0;

  const service: ServiceImpl<typeof AuthMetadataService> = {
    getOAuth2Metadata: () =>
      create(GetOAuth2MetadataResponseSchema, {
        issuer: text(metadata.issuer),
        authorizationEndpoint: text(metadata.authorization_endpoint),
        tokenEndpoint: text(metadata.token_endpoint),
        responseTypesSupported: list(metadata.response_types_supported),
        scopesSupported: list(metadata.scopes_supported),
        tokenEndpointAuthMethodsSupported: list(metadata.token_endpoint_auth_methods_supported),
        jwksUri: text(metadata.jwks_uri),
        codeChallengeMethodsSupported: list(metadata.code_challenge_methods_supported),
        grantTypesSupported: list(metadata.grant_types_supported),
        deviceAuthorizationEndpoint: text(metadata.device_authorization_endpoint),
      }),
    getPublicClientConfig: () =>
      create(GetPublicClientConfigResponseSchema, {
        clientId: client.clientId ?? "flytectl",
        redirectUri: client.redirectUri ?? "http://localhost:53593/callback",
        scopes: [...(client.scopes ?? ["openid", "offline_access"])],
        authorizationMetadataKey: header,
        audience: client.audience ?? "",
      }),
  };

  const refuse = (why: string): never => {
    refused++;
    throw new ConnectError(`access token refused: ${why}`, Code.Unauthenticated);
  };

  return {
    routes: (router) => {
      router.service(AuthMetadataService, service);
    },
    gate: async (ctx) => {
      // Discovery must answer before a client has any token.
      if (ctx.service.typeName === AuthMetadataService.typeName) return;
      const value = ctx.requestHeader.get(header) ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(value);
      if (match?.[1] === undefined) return refuse(`no 'Bearer' token in the ${header} header`);
      const token = match[1];
      if (revoked.has(token)) return refuse("the token was revoked");
      let claims: Readonly<Record<string, unknown>>;
      try {
        claims = await verifier.verify(token);
      } catch (error) {
        if (error instanceof TokenRefused) return refuse(error.message);
        throw new ConnectError("the identity provider's keys could not be read", Code.Unavailable);
      }
      accepted++;
      subjects.push(text(claims.sub) || text(claims.client_id));
    },
    control: {
      revoke: (token) => {
        revoked.add(token);
      },
      counts: () => ({ accepted, refused }),
      subjects,
    },
  };
}
