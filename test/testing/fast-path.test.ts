/**
 * The test server's lean path for GetActionDetails over gRPC (fast-unary.ts) must answer
 * exactly as connect-es does: the same reply, the same error status and details. A server
 * with a token takes connect-es's path for every call, so the two can be set side by side.
 */

import { toBinary } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GetActionDetailsResponseSchema,
  RunService,
} from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { RetryInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";
import {
  createRunStore,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { type NodeTransport, nodeTransport } from "../support/transports.js";

const TOKEN = "tok-fast-path-5e1d";
let store: RunStore;
let lean: TestServer;
let general: TestServer;
const transports: NodeTransport[] = [];

beforeAll(async () => {
  store = createRunStore({ speed: 1_000 });
  lean = await startTestServer({ store });
  general = await startTestServer({ store, token: TOKEN });
});
afterAll(async () => {
  for (const t of transports) t.close();
  await lean.close();
  await general.close();
  store.dispose();
});

function client(server: TestServer) {
  const made = nodeTransport(server.url, {
    protocol: "grpc",
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${TOKEN}`);
        return next(req);
      },
    ],
  });
  transports.push(made);
  return createClient(RunService, made.transport);
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

describe("GetActionDetails on the lean path and through connect-es", () => {
  it("answers the same bytes for a run", async () => {
    const id = store.create({ scenario: "oom" });
    await new Promise((resolve) => store.on("terminal", resolve));
    const request = { actionId: { run: id, name: "a0" } };
    const [a, b] = await Promise.all([
      client(lean).getActionDetails(request),
      client(general).getActionDetails(request),
    ]);
    expect(toBinary(GetActionDetailsResponseSchema, a)).toEqual(
      toBinary(GetActionDetailsResponseSchema, b),
    );
  });

  it("fails the same way for a run that does not exist", async () => {
    const request = {
      actionId: {
        run: { project: "flytesnacks", domain: "development", name: "none" },
        name: "a0",
      },
    };
    const [a, b] = await Promise.all([
      failure(client(lean).getActionDetails(request)),
      failure(client(general).getActionDetails(request)),
    ]);
    expect({ code: a.code, message: a.rawMessage }).toEqual({
      code: b.code,
      message: b.rawMessage,
    });
  });

  it("plays a scenario's call faults with the same status and details", async () => {
    const id = store.create({ name: "fast-slow", scenario: "slow-down+succeed" });
    const request = { actionId: { run: id, name: "a0" } };
    const a = await failure(client(lean).getActionDetails(request));
    const id2 = store.create({ name: "general-slow", scenario: "slow-down+succeed" });
    const b = await failure(
      client(general).getActionDetails({ actionId: { run: id2, name: "a0" } }),
    );
    expect(a.code).toBe(b.code);
    expect(a.findDetails(RetryInfoSchema)).toEqual(b.findDetails(RetryInfoSchema));
  });
});
