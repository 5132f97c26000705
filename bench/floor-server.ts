/**
 * The floor's server, in a process of its own: a bare `node:http2` server that answers
 * every gRPC call with the same 2 KB FAILED ActionDetails, prebuilt, and `grpc-status: 0`.
 * Nothing of flyte-remote or connect-es runs on either side of the floor.
 */

import { createServer, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { toBinary } from "@bufbuild/protobuf";
import { GetActionDetailsResponseSchema } from "../src/gen/flyteidl2/workflow/run_service_pb.js";
import { failedOomDetails } from "./fixtures.js";

const { details } = await failedOomDetails();
const message = toBinary(GetActionDetailsResponseSchema, {
  $typeName: "flyteidl2.workflow.GetActionDetailsResponse",
  details,
});
const reply = Buffer.alloc(5 + message.byteLength);
reply.writeUInt32BE(message.byteLength, 1);
reply.set(message, 5);

const server = createServer({ settings: { maxConcurrentStreams: 100_000 } });
server.on("stream", (stream: ServerHttp2Stream) => {
  stream.on("error", () => {});
  stream.resume();
  stream.once("end", () => {
    stream.respond(
      { ":status": 200, "content-type": "application/grpc" },
      { waitForTrailers: true },
    );
    stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(reply);
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: "listening", url: `http://127.0.0.1:${port}`, bytes: reply.byteLength });
});
process.on("message", (command: { type: string }) => {
  if (command.type === "cpu") {
    const cpu = process.cpuUsage();
    process.send?.({ type: "cpu", us: cpu.user + cpu.system });
  } else if (command.type === "close") {
    process.disconnect();
    process.exit(0);
  }
});
