/**
 * Every way signing in can fail, as an `AuthenticationError` whose code says which and whose
 * hint says what to do about it.
 *
 * Text from an identity provider is copied into messages only after the credentials the
 * caller holds have been scrubbed from it, because providers do echo what they were sent.
 *
 * @module
 */

import { scrubSecrets } from "../decode/scrub-secrets.js";
import { AuthenticationError, type FlyteErrorDetails } from "../errors/index.js";

/**
 * The `code` of an `AuthenticationError` raised while getting a token. The RPC's own
 * `UNAUTHENTICATED` is kept for refusals by the Flyte server.
 */
export type AuthFailureCode =
  /** The identity provider rejected the client id or secret (`invalid_client`). */
  | "InvalidClient"
  /** A refresh token, code or device code was refused (`invalid_grant`). */
  | "InvalidGrant"
  /** The person declined the sign-in (`access_denied`). */
  | "AccessDenied"
  /** The device code expired before anyone approved it (`expired_token`). */
  | "DeviceCodeExpired"
  /** Nobody finished signing in within the time allowed. */
  | "SignInTimedOut"
  /** The browser came back with a `state` that this sign-in did not send. */
  | "StateMismatch"
  /** The identity provider or the discovery endpoint could not be reached. */
  | "IdentityProviderUnreachable"
  /** The TLS certificate of the identity provider could not be verified. */
  | "CertificateInvalid"
  /** The identity provider answered with an error this client has no better name for. */
  | "IdentityProviderError"
  /** The cluster's discovery (AuthMetadataService) failed or was incomplete. */
  | "DiscoveryFailed"
  /** Nothing says how to sign in: no token endpoint, no client id. */
  | "AuthNotConfigured"
  /** A sign-in is needed but this authenticator may not ask a person for one. */
  | "SignInRequired"
  /** The external token command failed or printed nothing. */
  | "TokenCommandFailed"
  /** A `getAccessToken` callback returned no token. */
  | "NoToken";

/** What to do, per code; a failure may give a better one. */
const HINTS: Readonly<Record<AuthFailureCode, string>> = {
  InvalidClient:
    "Check the client id and secret (admin.clientId, admin.clientSecretLocation or admin.clientSecretEnvVar, or the API key); the identity provider rejected them.",
  InvalidGrant:
    "The saved sign-in is no longer valid (expired or revoked): run `flyte-remote login` again.",
  AccessDenied: "The sign-in was declined. Run `flyte-remote login` again and approve it.",
  DeviceCodeExpired:
    "The device code expired before it was approved. Start again and approve it sooner.",
  SignInTimedOut: "Nobody finished signing in in time. Start again and complete it in the browser.",
  StateMismatch:
    "The browser returned from a different sign-in. Close other sign-in tabs and start again.",
  IdentityProviderUnreachable:
    "The identity provider could not be reached; check the network or proxy and retry.",
  CertificateInvalid:
    "Trust the server's CA with admin.caCertFilePath (or the tls.caCertFile option), or set admin.insecureSkipVerify for a test cluster.",
  IdentityProviderError:
    "The identity provider refused the request; err.details has its answer. Check the client's registration there.",
  DiscoveryFailed:
    "Check the endpoint, or give the token endpoint and client id yourself (tokenEndpoint, clientId).",
  AuthNotConfigured:
    "Configure auth: set admin.authType in the Flyte config, FLYTE_API_KEY, or pass createClient({ auth }).",
  SignInRequired:
    "Sign in first with `flyte-remote login` (or `flyte-remote login --device` on a machine without a browser).",
  TokenCommandFailed:
    "Run admin.command in a terminal to see why it fails; it must print a token on stdout.",
  NoToken: "Make getAccessToken() return a non-empty token.",
};

/** Options of {@link authFailure}. */
export interface AuthFailureOptions {
  readonly code: AuthFailureCode;
  readonly message: string;
  /** Credentials to scrub from the message and details. */
  readonly secrets?: readonly string[] | undefined;
  readonly hint?: string | undefined;
  readonly cause?: unknown | undefined;
  readonly details?: FlyteErrorDetails | undefined;
}

/** The default hint of a code. */
export function authFailureHint(code: AuthFailureCode): string {
  return HINTS[code];
}

/**
 * Builds the error. An unreachable provider is the platform's problem and worth a retry;
 * everything else is the caller's (kind user) and is not.
 */
export function authFailure(options: AuthFailureOptions): AuthenticationError {
  const secrets = options.secrets ?? [];
  const transient = options.code === "IdentityProviderUnreachable";
  return new AuthenticationError({
    code: options.code,
    kind: transient ? "system" : "user",
    retryable: transient,
    message: scrubSecrets(options.message, secrets),
    hint: options.hint ?? HINTS[options.code],
    details: scrubDetails({ reason: options.code, ...options.details }, secrets),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** Scrubs every string value of a flat details record. */
function scrubDetails(details: FlyteErrorDetails, secrets: readonly string[]): FlyteErrorDetails {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    out[key] = typeof value === "string" ? scrubSecrets(value, secrets) : value;
  }
  return out;
}
