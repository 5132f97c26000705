/** Reading and following a task's log. */

export {
  followLogs,
  type LogService,
  type LogsHost,
  type LogsOptions,
  type TailReply,
} from "./follow-logs.js";
export { type LogLine, type LogOriginator, toLogLine } from "./log-line.js";
export { tailLogs } from "./tail-logs.js";
