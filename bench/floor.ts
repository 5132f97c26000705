/**
 * The floor: what a unary gRPC call of a 2 KB reply costs the client with nothing on top, a
 * bare `node:http2` client against a bare `node:http2` server in another process
 * (bench/floor-server.ts). Each call sends its request, reads the reply and parses it with
 * `fromBinary`, as any client must. Every settle figure of flyte-remote is a ratio to the
 * client CPU per call measured here, in the same run.
 */

import { fork } from "node:child_process";
import { connect } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  GetActionDetailsRequestSchema,
  GetActionDetailsResponseSchema,
} from "../src/gen/flyteidl2/workflow/run_service_pb.js";
import { pin } from "./pin.js";

/** What the floor measured. */
export interface Floor {
  readonly calls: number;
  readonly wallMs: number;
  readonly clientCpuUsPerCall: number;
  readonly serverCpuUsPerCall: number;
  readonly replyBytes: number;
}

interface ChildMessage {
  readonly type: string;
  readonly url?: string;
  readonly bytes?: number;
  readonly us?: number;
}

/** Measures `calls` concurrent calls after a warm-up; with `pinned`, server on CPU 1. */
export async function measureFloor(calls: number, pinned: boolean): Promise<Floor> {
  const child = fork(new URL("./floor-server.js", import.meta.url), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (type: string) =>
    new Promise<ChildMessage>((resolve, reject) => {
      child.once("message", (m: ChildMessage) =>
        m.type === type ? resolve(m) : reject(new Error(`floor server said ${m.type}`)),
      );
      child.once("exit", (code) => reject(new Error(`floor server exited (${code})`)));
    });
  const listening = await next("listening");
  if (pinned) pin(child.pid ?? 0, 1);
  const session = connect(listening.url ?? "");
  session.on("error", () => {});
  await new Promise((resolve) => session.once("remoteSettings", resolve));
  const request = envelope();
  const call = (name: number) =>
    new Promise<void>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/flyteidl2.workflow.RunService/GetActionDetails",
        "content-type": "application/grpc",
        te: "trailers",
      });
      const chunks: Buffer[] = [];
      let status: string | undefined;
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("trailers", (trailers) => {
        status = String(trailers["grpc-status"]);
      });
      stream.on("error", reject);
      stream.on("end", () => {
        if (status !== "0") {
          reject(new Error(`call ${name}: grpc-status ${status}`));
          return;
        }
        const body = Buffer.concat(chunks);
        fromBinary(GetActionDetailsResponseSchema, body.subarray(5));
        resolve();
      });
      stream.end(request);
    });
  try {
    await Promise.all(Array.from({ length: 200 }, (_, i) => call(i)));
    child.send({ type: "cpu" });
    const serverBefore = (await next("cpu")).us ?? 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: calls }, (_, i) => call(i)));
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    child.send({ type: "cpu" });
    const serverAfter = (await next("cpu")).us ?? 0;
    return {
      calls,
      wallMs,
      clientCpuUsPerCall: (used.user + used.system) / calls,
      serverCpuUsPerCall: (serverAfter - serverBefore) / calls,
      replyBytes: listening.bytes ?? 0,
    };
  } finally {
    session.destroy();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.send({ type: "close" });
    await exited;
  }
}

function envelope(): Buffer {
  const message = toBinary(
    GetActionDetailsRequestSchema,
    create(GetActionDetailsRequestSchema, {
      actionId: {
        run: { project: "flytesnacks", domain: "development", name: "floor" },
        name: "a0",
      },
    }),
  );
  const out = Buffer.alloc(5 + message.byteLength);
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
}
