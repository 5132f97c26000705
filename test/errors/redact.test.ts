import { describe, expect, it } from "vitest";
import {
  isSecretName,
  OOMError,
  REDACTED,
  redactHeaders,
  redactSecrets,
} from "../../src/errors/index.js";

describe("redactHeaders", () => {
  it("hides credential headers and any name with token, secret or key", () => {
    const headers = new Headers({
      Authorization: "Bearer abc",
      "Proxy-Authorization": "Basic xyz",
      Cookie: "sid=1",
      "X-Api-Key": "k",
      "x-flyte-token": "t",
      "x-client-secret": "s",
      "x-signing-key": "k2",
      "content-type": "application/grpc",
      "grpc-message": "denied",
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: REDACTED,
      "proxy-authorization": REDACTED,
      cookie: REDACTED,
      "x-api-key": REDACTED,
      "x-flyte-token": REDACTED,
      "x-client-secret": REDACTED,
      "x-signing-key": REDACTED,
      "content-type": "application/grpc",
      "grpc-message": "denied",
    });
  });

  it("accepts records with repeated values, and entry lists", () => {
    expect(
      redactHeaders({ "Set-Cookie": ["a=1", "b=2"], Accept: ["x", "y"], skipped: undefined }),
    ).toEqual({
      "set-cookie": REDACTED,
      accept: "x, y",
    });
    expect(
      redactHeaders([
        ["via", "a"],
        ["via", "b"],
        ["set-cookie", "c=3"],
      ]),
    ).toEqual({ via: "a, b", "set-cookie": REDACTED });
  });

  it("scrubs bearer tokens quoted inside harmless headers", () => {
    expect(redactHeaders({ "grpc-message": "bad header Bearer eyJabc.def.ghi" })).toEqual({
      "grpc-message": `bad header Bearer ${REDACTED}`,
    });
  });

  it("never throws on a misbehaving input", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("x");
        },
      },
    );
    expect(redactHeaders(hostile)).toEqual({});
  });
});

describe("isSecretName", () => {
  it.each([
    "authorization",
    "COOKIE",
    "set-cookie",
    "x-api-key",
    "refreshToken",
    "client_secret",
    "password",
  ])("%s is secret", (name) => expect(isSecretName(name)).toBe(true));
  it.each(["content-type", "x-request-id", "grpc-status", "worker"])("%s is not", (name) =>
    expect(isSecretName(name)).toBe(false),
  );
});

describe("redactSecrets", () => {
  it.each([
    ["Authorization: Bearer abc.def", "Authorization: [REDACTED]"],
    ["call failed (Bearer eyJhbGciOi.eyJzdWIi.sig)", "call failed (Bearer [REDACTED])"],
    ["GET /v1?access_token=s3cr3t&page=2", "GET /v1?access_token=[REDACTED]&page=2"],
    ['{"client_secret": "hunter2", "id": 1}', '{"client_secret": "[REDACTED]", "id": 1}'],
    ["password: letmein", "password: [REDACTED]"],
    ["cookie: a=b; c=d\nnext", "cookie: [REDACTED]\nnext"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "token [REDACTED]"],
    ["note: password=abc next", "note: password=[REDACTED] next"],
    ["x-refresh-token: r1; pageToken='p2'", "x-refresh-token: [REDACTED]; pageToken='[REDACTED]'"],
    ["sent eyJhbGciOi.eyJzdWIi.sig", "sent [REDACTED]"],
    ["X-Api-Key: k1", "X-Api-Key: [REDACTED]"],
    ["apikey=k2 PRIVATE_KEY=k3", "apikey=[REDACTED] PRIVATE_KEY=[REDACTED]"],
    ['{"accessKey": "k4"}', '{"accessKey": "[REDACTED]"}'],
    ["Access_KEY: k5", "Access_KEY: [REDACTED]"],
  ])("scrubs %j", (input, output) => {
    expect(redactSecrets(input)).toBe(output);
    expect(redactSecrets(output)).toBe(output);
  });

  it.each([
    "Basic authentication failed",
    "Bearer tokens expire",
    "OOMKilled: exit code 137",
    "key rotation",
    "KeyError: 'user_id'",
  ])("leaves plain prose alone: %j", (text) => expect(redactSecrets(text)).toBe(text));
});

describe("redactSecrets on large hostile text", () => {
  // Server text is unbounded; these shapes made an earlier, regex-only version quadratic.
  it.each([
    ["a-a-a-…", "a-".repeat(100_000)],
    ["token-token-…", "token-".repeat(50_000)],
    ["-eyJa-eyJa-…", "-eyJa".repeat(50_000)],
  ])("leaves %s unchanged", (_label, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it("redacts every assignment in a long run", () => {
    const text = "x token=v ".repeat(10_000);
    expect(redactSecrets(text)).toBe("x token=[REDACTED] ".repeat(10_000));
  });
});

describe("redactSecrets on hostile megabyte inputs", () => {
  // Greedy regular expressions over runs this long overflow V8's backtracking stack; the
  // scanners must not, and an error built from such a message must still construct.
  const big = 10_000_000;
  it.each([
    ["eyJ", "eyJ".repeat(big / 3)],
    ["eyJ-", "eyJ-".repeat(big / 4)],
    ["Bearer + one long credential", `Bearer ${"a".repeat(big)}`],
    ["a JWT-shaped giant", `eyJ${"a".repeat(big / 2)}.${"b".repeat(big / 2)}.c`],
  ])("%s neither throws nor keeps the credential", (_label, text) => {
    const out = redactSecrets(text);
    expect(typeof out).toBe("string");
    if (text.startsWith("Bearer ") || text.includes(".c")) expect(out.length).toBeLessThan(100);
    expect(() => new OOMError({ message: text })).not.toThrow();
  });

  it("still finds a JWT after a dot and a credential after Bearer", () => {
    expect(redactSecrets("x.eyJhbGciOi.eyJzdWIiOi.c2ln y")).toBe(`x.${REDACTED} y`);
    expect(redactSecrets("jwt eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")).toBe(`jwt ${REDACTED}`);
    expect(redactSecrets("auth Bearer abc.DEF-123 ok")).toBe(`auth Bearer ${REDACTED} ok`);
    expect(redactSecrets("Basic authentication failed")).toBe("Basic authentication failed");
  });
});
