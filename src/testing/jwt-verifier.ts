/**
 * Verifies JWT access tokens the way a resource server does: the signature against the
 * provider's published keys (JWKS), then the issuer, audience and validity window. Built on
 * `node:crypto` alone, so the test server needs no JOSE library at run time.
 *
 * @module
 */

import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from "node:crypto";

/** Why a token was refused; never contains the token. */
export class TokenRefused extends Error {
  override readonly name = "TokenRefused";
}

/** Options of {@link JwtVerifier}. */
export interface JwtVerifierOptions {
  readonly issuer: string;
  readonly jwksUri: string;
  /** Required in `aud` when set. */
  readonly audience?: string | undefined;
  /** Fetches the JWKS; default the global `fetch`. */
  readonly fetch?: ((input: string) => Promise<Response>) | undefined;
  /** Tolerated clock skew, in seconds. Default 0: expiry is exact, as tests need. */
  readonly leewayS?: number | undefined;
}

/** The verified claims. */
export type VerifiedClaims = Readonly<Record<string, unknown>>;

/** Signature parameters per JWS `alg`. */
const ALGORITHMS: Readonly<
  Record<
    string,
    { hash: string | null; padding?: "pss" | undefined; dsa?: "ieee-p1363" | undefined }
  >
> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", padding: "pss" },
  PS384: { hash: "sha384", padding: "pss" },
  PS512: { hash: "sha512", padding: "pss" },
  ES256: { hash: "sha256", dsa: "ieee-p1363" },
  ES384: { hash: "sha384", dsa: "ieee-p1363" },
  ES512: { hash: "sha512", dsa: "ieee-p1363" },
  EdDSA: { hash: null },
};

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      return json as Record<string, unknown>;
    }
  } catch {
    // Reported below.
  }
  throw new TokenRefused(`the token's ${what} is not a JSON object`);
}

/** A verifier with a key cache that is refetched when a token names an unknown key. */
export class JwtVerifier {
  private keys = new Map<string, KeyObject>();
  private fetching: Promise<void> | undefined;

  constructor(private readonly options: JwtVerifierOptions) {}

  /** The claims of a valid token; throws {@link TokenRefused} otherwise. */
  async verify(token: string, nowMs = Date.now()): Promise<VerifiedClaims> {
    const parts = token.split(".");
    if (parts.length !== 3) throw new TokenRefused("the token is not a JWT");
    const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
    const header = decodeSegment(headerPart, "header");
    const claims = decodeSegment(payloadPart, "payload");
    const alg = typeof header.alg === "string" ? header.alg : "";
    const params = ALGORITHMS[alg];
    if (params === undefined) throw new TokenRefused(`unsupported signature algorithm '${alg}'`);
    const key = await this.keyFor(typeof header.kid === "string" ? header.kid : "");
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, "base64url");
    const ok = verify(
      params.hash,
      signed,
      {
        key,
        ...(params.padding === "pss"
          ? {
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            }
          : {}),
        ...(params.dsa === undefined ? {} : { dsaEncoding: params.dsa }),
      },
      signature,
    );
    if (!ok) throw new TokenRefused("the token's signature does not verify");
    this.checkClaims(claims, nowMs);
    return claims;
  }

  private checkClaims(claims: Record<string, unknown>, nowMs: number): void {
    const now = nowMs / 1000;
    const leeway = this.options.leewayS ?? 0;
    if (claims.iss !== this.options.issuer) throw new TokenRefused("the token's issuer is wrong");
    if (typeof claims.exp !== "number") throw new TokenRefused("the token has no expiry");
    if (claims.exp + leeway <= now) throw new TokenRefused("the token has expired");
    if (typeof claims.nbf === "number" && claims.nbf - leeway > now) {
      throw new TokenRefused("the token is not valid yet");
    }
    const audience = this.options.audience;
    if (audience !== undefined) {
      const aud = claims.aud;
      const list = Array.isArray(aud) ? aud : [aud];
      if (!list.includes(audience)) throw new TokenRefused("the token is for another audience");
    }
  }

  private async keyFor(kid: string): Promise<KeyObject> {
    let key = this.keys.get(kid);
    if (key === undefined) {
      this.fetching ??= this.fetchKeys().finally(() => {
        this.fetching = undefined;
      });
      await this.fetching;
      key = this.keys.get(kid);
    }
    if (key === undefined) throw new TokenRefused("the token is signed with an unknown key");
    return key;
  }

  private async fetchKeys(): Promise<void> {
    const response = await (this.options.fetch ?? fetch)(this.options.jwksUri);
    if (!response.ok) throw new TokenRefused(`the JWKS answered HTTP ${response.status}`);
    const body = (await response.json()) as { keys?: unknown | undefined };
    const keys = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(body.keys) ? body.keys : []) {
      if (typeof jwk !== "object" || jwk === null) continue;
      const kid =
        typeof (jwk as { kid?: unknown | undefined }).kid === "string"
          ? (jwk as { kid: string }).kid
          : "";
      try {
        keys.set(kid, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }));
      } catch {
        // A key type node cannot read is not one the tokens use.
      }
    }
    this.keys = keys;
  }
}
