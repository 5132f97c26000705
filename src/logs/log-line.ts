/**
 * One line of a task's log, as flyte-remote hands it out: the text without its line
 * terminator, when it was written, who wrote it, and which attempt it belongs to.
 */

import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  type LogLine as LogLineMessage,
  LogLineOriginator,
} from "../gen/flyteidl2/logs/dataplane/payload_pb.js";

/** Who wrote a log line: the task's own code, or Flyte and Kubernetes around it. */
export type LogOriginator = "user" | "system" | "unknown";

/** A line of a task's log. */
export interface LogLine {
  /** The text, without its line terminator. */
  readonly message: string;
  /** When the container wrote it, when the server says. */
  readonly timestamp?: Date | undefined;
  readonly originator: LogOriginator;
  /** The attempt (pod) it comes from, counting from 1. */
  readonly attempt: number;
}

/** A line as the log services send it, in flyte-remote's form. */
export function toLogLine(line: LogLineMessage, attempt: number): LogLine {
  return {
    message: line.message.replace(/\r?\n$|\r$/, ""),
    ...(line.timestamp === undefined ? {} : { timestamp: timestampDate(line.timestamp) }),
    originator:
      line.originator === LogLineOriginator.USER
        ? "user"
        : line.originator === LogLineOriginator.SYSTEM
          ? "system"
          : "unknown",
    attempt,
  };
}
