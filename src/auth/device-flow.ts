/**
 * The device authorization grant (RFC 8628), for machines without a browser: show a URL and
 * a code, let the person approve on another device, and poll the token endpoint meanwhile.
 * Flyte's `admin.authType: DeviceFlow`.
 *
 * @module
 */

import type { AuthenticationError } from "../errors/index.js";
import { authFailure } from "./auth-failure.js";
import type { Authenticator } from "./authenticator.js";
import type { Credentials } from "./credentials.js";
import type { AuthServerInfo } from "./discovery.js";
import { postForm } from "./idp-request.js";
import { type OAuthOptions, oauthAuthenticator } from "./oauth-authenticator.js";
import { ServerInfoSource } from "./server-info.js";
import { signInFlow } from "./sign-in-flow.js";
import { requestTokens, scopeParameter } from "./token-endpoint.js";

/** RFC 8628 §3.2: the interval when the server gives none. */
export const DEFAULT_DEVICE_POLL_INTERVAL_S = 5;
/** RFC 8628 §3.5: what `slow_down` adds to the interval, for good. */
export const SLOW_DOWN_INCREMENT_S = 5;

/** What the person must be told. */
export interface DevicePrompt {
  /** Where to go. */
  readonly verificationUri: string;
  /** The same with the code filled in, when the provider offers it. */
  readonly verificationUriComplete?: string | undefined;
  /** What to type there. */
  readonly userCode: string;
  /** How long the code stays valid, in seconds. */
  readonly expiresInS: number;
}

/** Options of {@link deviceFlow}. */
export interface DeviceFlowOptions extends OAuthOptions {
  /** The public client's id; default: the cluster's. */
  clientId?: string | undefined;
  /**
   * Shows the URL and code. Default: two lines on `console.error`, so that stdout stays
   * clean for the command's own output.
   */
  prompt?: ((prompt: DevicePrompt) => void) | undefined;
  /**
   * Whether a person may be asked now. With `false`, only tokens kept in the store (renewed
   * with their refresh token) are used, and a needed sign-in fails with `SignInRequired`.
   * Default true.
   */
  signIn?: boolean | undefined;
  /** How to wait between polls; for tests. Default `setTimeout`. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** The device authorization response. */
interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly prompt: DevicePrompt;
  readonly intervalS: number;
}

function defaultPrompt(prompt: DevicePrompt): void {
  const where = prompt.verificationUriComplete ?? prompt.verificationUri;
  console.error(`To sign in, open ${where} in a browser and enter the code ${prompt.userCode}.`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Signs a person in with the device flow. Polls at the interval the server gives (5 s when it
 * gives none), widens it by 5 s on `slow_down`, and fails with `AccessDenied` when the person
 * declines, or `DeviceCodeExpired` when the code runs out first. Renewals use the refresh
 * token without asking anyone.
 */
export function deviceFlow(options: DeviceFlowOptions = {}): Authenticator {
  const server = new ServerInfoSource(options, ["token", "device", "client"]);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? delay;
  const prompt = options.prompt ?? defaultPrompt;
  const inFlight = new Set<string>();

  async function authorize(info: AuthServerInfo): Promise<DeviceAuthorization> {
    const reply = await postForm(
      {
        fetch: server.fetch,
        url: info.deviceAuthorizationEndpoint,
        what: "the device authorization endpoint",
        secrets: [],
      },
      { client_id: info.clientId, scope: scopeParameter(info.scopes), audience: info.audience },
    );
    const deviceCode = reply.device_code;
    const userCode = reply.user_code;
    const uri = reply.verification_uri ?? reply.verification_url;
    if (typeof deviceCode !== "string" || typeof userCode !== "string" || typeof uri !== "string") {
      throw authFailure({
        code: "IdentityProviderError",
        message:
          "the device authorization endpoint answered without device_code, user_code or verification_uri",
        secrets: typeof deviceCode === "string" ? [deviceCode] : [],
      });
    }
    const interval = Number(reply.interval);
    const expiresIn = Number(reply.expires_in);
    return {
      deviceCode,
      intervalS:
        Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_DEVICE_POLL_INTERVAL_S,
      prompt: {
        verificationUri: uri,
        ...(typeof reply.verification_uri_complete === "string"
          ? { verificationUriComplete: reply.verification_uri_complete }
          : {}),
        userCode,
        expiresInS: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 600,
      },
    };
  }

  async function poll(info: AuthServerInfo, device: DeviceAuthorization): Promise<Credentials> {
    const deadline = now() + device.prompt.expiresInS * 1000;
    let intervalS = device.intervalS;
    for (;;) {
      await sleep(intervalS * 1000);
      if (now() >= deadline) throw expired();
      try {
        return await requestTokens({
          server: info,
          fetch: server.fetch,
          form: {
            grant_type: "urn:ietf:params:oauth:grant-type:device_code",
            device_code: device.deviceCode,
            client_id: info.clientId,
          },
          secrets: [device.deviceCode],
          now,
        });
      } catch (error) {
        const oauthError = (error as AuthenticationError).details?.oauthError;
        if (oauthError === "authorization_pending") continue;
        if (oauthError === "slow_down") {
          intervalS += SLOW_DOWN_INCREMENT_S;
          continue;
        }
        throw error;
      }
    }
  }

  return oauthAuthenticator(
    server,
    signInFlow({
      server,
      mayAskPerson: options.signIn ?? true,
      now,
      inFlight,
      acquire: async () => {
        const info = await server.get();
        const device = await authorize(info);
        inFlight.add(device.deviceCode);
        try {
          prompt(device.prompt);
          return await poll(info, device);
        } finally {
          inFlight.delete(device.deviceCode);
        }
      },
    }),
    options,
  );
}

function expired(): AuthenticationError {
  return authFailure({
    code: "DeviceCodeExpired",
    message: "the device code expired before the sign-in was approved",
  });
}
