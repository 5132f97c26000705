/**
 * Issue 12, item 6: a server that echoes the credential it was sent (in grpc-message, in a
 * header, in ErrorInfo metadata, in DebugInfo) must not make the client leak it. The client
 * holds the token; every decoder that turns a reply into an error must treat it as a
 * secret, whatever it looks like, so the token may not be spelled like a credential here.
 */

import { create } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import type { TokenOption } from "../../src/client/index.js";
import { DebugInfoSchema, ErrorInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";
import { secretLeaks } from "../faults/expectations.js";
import { settle } from "../infra/bounded.js";
import type { FakeCall, FakeRunService } from "./fake-run-service.js";
import { withFakeServer } from "./fake-server.js";
import { endStream, openStream, statusHeaders, trailersOnly } from "./raw-grpc-server.js";

/** A token that no pattern would take for a credential: only the client knows it is one. */
function plainToken(): string {
  return `sunflower-meadow-${Math.random().toString(36).slice(2, 10)}`;
}

/** Denies every call, echoing the presented credential everywhere a server can put it. */
function echoingDenial(call: FakeCall): void {
  const presented = String(call.headers.authorization ?? "");
  const bare = presented.replace(/^Bearer /i, "");
  const failure = {
    code: 7,
    message: `credential ${bare} may not call ${call.method}`,
    headers: { "x-presented-credential": presented, "x-echo": bare },
    details: [
      anyPack(
        ErrorInfoSchema,
        create(ErrorInfoSchema, {
          reason: "ACCESS_DENIED",
          domain: "authz.example.com",
          metadata: { authorization: presented, token: bare, principal: "svc-ci" },
        }),
      ),
      anyPack(
        DebugInfoSchema,
        create(DebugInfoSchema, {
          detail: `policy check failed for ${presented}`,
          stackEntries: [`authz.check(token=${bare})`, "authz.middleware"],
        }),
      ),
    ],
  };
  if (call.method.startsWith("Watch")) {
    // A stream that opened, then failed in its trailers.
    openStream(call.stream);
    endStream(call.stream, { code: failure.code, trailers: statusHeaders(failure) });
  } else {
    trailersOnly(call.stream, failure);
  }
}

async function errorsFromEveryCall(token: TokenOption): Promise<unknown[]> {
  return withFakeServer(
    {
      client: { token, retry: false },
      prepare: (service: FakeRunService) => {
        service.intercept = (call) => {
          echoingDenial(call);
          return true;
        };
      },
    },
    async ({ client }) => {
      const run = client.getRun("r1");
      const outcomes = [
        await settle(client.createRun({ task: { name: "t" } })),
        await settle(client.createRun({ task: { name: "t" }, name: "named" })),
        await settle(run.details()),
        await settle(run.action("c1").details()),
        await settle(run.abort()),
        await settle(client.listRuns()),
        await settle(run.wait({ timeoutMs: 10_000 })),
      ];
      return outcomes.map((o) => (o.ok ? "succeeded" : o.error));
    },
  );
}

describe("a server that echoes the client's token", () => {
  const options: [string, (token: string) => TokenOption][] = [
    ["a token string", (token) => token],
    ["a token provider", (token) => async () => token],
  ];
  for (const [name, option] of options) {
    it(`the token, given as ${name}, appears in no message, toJSON(), problem details or inspect output`, async () => {
      const token = plainToken();
      const errors = await errorsFromEveryCall(option(token));
      expect(
        errors.filter((e) => e === "succeeded"),
        "every call was denied",
      ).toEqual([]);
      expect(secretLeaks(token, errors)).toEqual([]);
    });
  }

  it("the denial still says what the server said, without the token", async () => {
    const token = plainToken();
    const [error] = await errorsFromEveryCall(token);
    const text = JSON.stringify((error as { toJSON(): unknown }).toJSON());
    expect(text).toContain("may not call CreateRun");
    expect(text).toContain("ACCESS_DENIED");
    expect(text).not.toContain(token);
  });
});
