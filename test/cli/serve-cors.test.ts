/**
 * `serve --cors`: in-process, with captured streams and a signal the test sends, and
 * preflights over a real socket. The policy itself is covered in test/testing/cors.test.ts.
 */

import { request } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/run-cli.js";

/** Runs `serve` with `args` until the test calls `stop()`. */
function serve(args: readonly string[]) {
  const out = { stdout: "", stderr: "" };
  const stdin = new PassThrough();
  stdin.end();
  let onSignal: ((signal: "SIGINT" | "SIGTERM") => void) | undefined;
  const io: CliIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    stdin,
    env: {},
    onSignal(listener) {
      onSignal = listener;
      return () => {
        onSignal = undefined;
      };
    },
  };
  const done = runCli(["serve", "--port", "0", ...args], io);
  const url = (async () => {
    for (let i = 0; i < 200 && !out.stdout.includes("\n"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return out.stdout.split("\n")[0] ?? "";
  })();
  const stop = async () => {
    onSignal?.("SIGTERM");
    return done;
  };
  return { out, url, done, stop };
}

function preflight(url: string, origin: string): Promise<{ status: number; allow?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/flyteidl2.workflow.RunService/CreateRun`,
      {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,connect-protocol-version",
        },
      },
      (res) => {
        res.resume();
        const allow = res.headers["access-control-allow-origin"];
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, ...(allow === undefined ? {} : { allow }) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("serve --cors", () => {
  it("answers preflights from the named origins only, and says so on start", async () => {
    const server = serve(["--cors", "http://localhost:5173, https://app.example.com/"]);
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      expect(await preflight(url, "http://localhost:5173")).toEqual({
        status: 204,
        allow: "http://localhost:5173",
      });
      expect(await preflight(url, "https://app.example.com")).toEqual({
        status: 204,
        allow: "https://app.example.com",
      });
      expect((await preflight(url, "http://localhost:8080")).status).toBe(403);
      expect(server.out.stdout).toContain(
        "CORS for http://localhost:5173, https://app.example.com",
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("--cors '*' lets any origin call", async () => {
    const server = serve(["--cors", "*"]);
    const url = await server.url;
    try {
      expect(await preflight(url, "http://anything.test:1234")).toEqual({
        status: 204,
        allow: "http://anything.test:1234",
      });
      expect(server.out.stdout).toContain("CORS for any origin");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("without --cors, preflights are refused", async () => {
    const server = serve([]);
    const url = await server.url;
    try {
      const reply = await preflight(url, "http://localhost:5173");
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.allow).toBeUndefined();
      expect(server.out.stdout).not.toContain("CORS");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.each([
    ["localhost:5173", "--cors: CORS origin 'localhost:5173' must be an http or https origin"],
    ["http://app.test/ui", "--cors: CORS origin 'http://app.test/ui' has more than an origin"],
    [",", "--cors needs an origin such as http://localhost:5173, or *"],
  ])("a bad origin (%s) is a usage error, before anything listens", async (origin, message) => {
    const server = serve(["--cors", origin]);
    expect(await server.done).toBe(64);
    expect(server.out.stderr).toContain(`flyte-remote serve: ${message}`);
    expect(server.out.stdout).toBe("");
  });
});
