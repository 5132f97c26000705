/**
 * The test server's CORS policy on the wire, as a browser's network stack sees it:
 * preflights and cross-origin calls over real sockets, header by header. The browser
 * suite (test/browser) proves the same policy lets connect-web through in Chromium.
 */

import { request as http1Request, type IncomingHttpHeaders } from "node:http";
import { connect as connectHttp2 } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCorsPolicy, normalizeOrigin } from "../../src/testing/cors.js";
import {
  corsAllowedHeaders,
  corsExposedHeaders,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";

const createRunPath = "/flyteidl2.workflow.RunService/CreateRun";
const app = "http://app.test:5173";

/** What connect-web and the client send on a cross-origin call. */
const browserRequestHeaders = [
  "content-type",
  "connect-protocol-version",
  "connect-timeout-ms",
  "x-grpc-web",
  "x-user-agent",
  "grpc-timeout",
  "authorization",
];

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = "",
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http1Request(`${url}${createRunPath}`, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

function preflight(url: string, origin: string): Promise<Reply> {
  return send(url, "OPTIONS", {
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": browserRequestHeaders.join(","),
  });
}

/** A Connect JSON CreateRun, as connect-web sends it from a page on `origin`. */
function createRun(url: string, origin: string | undefined, name: string): Promise<Reply> {
  return send(
    url,
    "POST",
    {
      "content-type": "application/json",
      "connect-protocol-version": "1",
      ...(origin === undefined ? {} : { origin }),
    },
    JSON.stringify({
      runId: { org: "", project: "flytesnacks", domain: "development", name },
      taskId: { name: "succeed" },
    }),
  );
}

function list(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return text
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== "");
}

describe("without the cors option", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000 });
  });
  afterAll(() => server.close());

  it("refuses preflights, so browsers never send a cross-origin call", async () => {
    const reply = await preflight(server.url, app);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
    expect(reply.headers["access-control-allow-headers"]).toBeUndefined();
  });

  it("gives a cross-origin call no allow-origin, so a browser hides its reply", async () => {
    const reply = await createRun(server.url, app, "no-cors-1");
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
    expect(reply.headers["access-control-expose-headers"]).toBeUndefined();
  });
});

describe("with cors: { origins: [app] }", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000, cors: { origins: [`${app}/`] } });
  });
  afterAll(() => server.close());

  it("answers a preflight from the origin with every header Connect and gRPC-Web send", async () => {
    const reply = await preflight(server.url, app);
    expect(reply.status).toBe(204);
    expect(reply.body).toBe("");
    expect(reply.headers["access-control-allow-origin"]).toBe(app);
    expect(list(reply.headers["access-control-allow-methods"])).toContain("post");
    expect(list(reply.headers["access-control-allow-headers"])).toEqual(
      expect.arrayContaining(browserRequestHeaders),
    );
    expect(Number(reply.headers["access-control-max-age"])).toBeGreaterThan(0);
    expect(list(reply.headers.vary)).toContain("origin");
  });

  it("lets the call through with the response headers a page must read exposed", async () => {
    const reply = await createRun(server.url, app, "cors-1");
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      run: { action: { id: { run: { name: "cors-1" } } } },
    });
    expect(reply.headers["access-control-allow-origin"]).toBe(app);
    expect(list(reply.headers["access-control-expose-headers"])).toEqual(
      expect.arrayContaining([
        "grpc-status",
        "grpc-message",
        "grpc-status-details-bin",
        "connect-content-encoding",
        "retry-after",
      ]),
    );
    expect(list(reply.headers.vary)).toContain("origin");
    expect(server.runs.get("cors-1")).toBeDefined();
  });

  it("refuses a preflight from any other origin with a reason, and no allow-origin", async () => {
    const reply = await preflight(server.url, "http://evil.test");
    expect(reply.status).toBe(403);
    expect(reply.body).toContain("origin http://evil.test is not allowed");
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
    const call = await createRun(server.url, "http://evil.test", "cors-evil");
    expect(call.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("leaves calls without an Origin (not from a browser page) as they were", async () => {
    const reply = await createRun(server.url, undefined, "cors-no-origin");
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers preflights over HTTP/2 (h2c) too", async () => {
    const session = connectHttp2(server.url);
    try {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = session.request({
          ":method": "OPTIONS",
          ":path": createRunPath,
          origin: app,
          "access-control-request-method": "POST",
        });
        stream.on("response", (h) => resolve(h));
        stream.on("error", reject);
        stream.resume();
        stream.end();
      });
      expect(headers[":status"]).toBe(204);
      expect(headers["access-control-allow-origin"]).toBe(app);
    } finally {
      session.close();
    }
  });
});

describe("with cors: { origins: '*' }", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000, cors: { origins: "*" } });
  });
  afterAll(() => server.close());

  it("echoes whichever origin asks, so credentialed fetches work as well", async () => {
    for (const origin of ["http://localhost:3000", "https://dashboard.example.com"]) {
      const reply = await preflight(server.url, origin);
      expect(reply.status).toBe(204);
      expect(reply.headers["access-control-allow-origin"]).toBe(origin);
    }
  });
});

describe("origins", () => {
  it("are normalised as browsers send them", () => {
    expect(normalizeOrigin("http://LOCALHOST:5173/")).toBe("http://localhost:5173");
    expect(normalizeOrigin("https://app.example.com:443")).toBe("https://app.example.com");
  });

  it.each([
    ["localhost:5173", "must be an http or https origin"],
    ["app.example.com", "is not a URL"],
    ["http://app.test/ui", "has more than an origin"],
    ["http://user@app.test", "has more than an origin"],
    ["file:///tmp/x.html", "must be an http or https origin"],
  ])("refuses %s at start, naming it", async (origin, message) => {
    expect(() => createCorsPolicy({ origins: [origin] })).toThrow(message);
    await expect(startTestServer({ cors: { origins: [origin] } })).rejects.toThrow(origin);
  });

  it("the exported header lists are the ones the server sends", async () => {
    const server = await startTestServer({ cors: { origins: [app] } });
    try {
      const reply = await preflight(server.url, app);
      expect(list(reply.headers["access-control-allow-headers"])).toEqual([...corsAllowedHeaders]);
      const call = await createRun(server.url, app, "lists-1");
      expect(list(call.headers["access-control-expose-headers"])).toEqual([...corsExposedHeaders]);
    } finally {
      await server.close();
    }
  });
});
