/**
 * HTTP-level faults that no Flyte server produces but the road to one does: a
 * gateway's HTML error page, a body cut off mid-frame, a 200 that is not an
 * RPC reply. They are chosen per method, so a test can break exactly the call
 * it is about and leave the rest working.
 *
 * @module
 */

import { RunService } from "../gen/flyteidl2/workflow/run_service_pb.js";

/** Every HTTP fault the msw handlers can play. */
export const HTTP_FAULTS = ["html-502", "truncated", "wrong-content-type"] as const;

/**
 * An HTTP fault:
 * - `html-502`: a load balancer's `502 Bad Gateway` HTML page; the call never reaches the service.
 * - `truncated`: the service's real reply, cut off halfway through a frame and then ended
 *   cleanly: a stream delivers its first message and stops inside the next frame (inside the
 *   first one when that is already the end-of-stream frame); a unary reply stops halfway
 *   through its body.
 * - `wrong-content-type`: `200 OK` with a `text/plain` body, as a catch-all route or a
 *   health check answers; the call never reaches the service.
 */
export type HttpFaultName = (typeof HTTP_FAULTS)[number];

/** A RunService RPC by its protobuf name, for example `WatchActionDetails`. */
export type RunServiceMethodName = Capitalize<keyof typeof RunService.method>;

/** A fault with a budget: it hits the next `times` calls, then calls go through again. */
export interface HttpFaultRule {
  readonly fault: HttpFaultName;
  /** How many calls it hits; default every call. */
  readonly times?: number | undefined;
}

/**
 * Which calls get an HTTP fault, by RPC name; `"*"` covers every RPC without an entry of
 * its own. A bare name means every call.
 */
export type HttpFaults = {
  readonly [M in RunServiceMethodName | "*"]?: HttpFaultName | HttpFaultRule;
};

/**
 * The body of the `html-502` fault: nginx's stock 502 page, padding comments included
 * (nginx adds them so browsers show the page instead of their own). It is longer than
 * the 200 characters an error message quotes.
 */
export const gatewayErrorPage: string = [
  "<html>",
  "<head><title>502 Bad Gateway</title></head>",
  "<body>",
  "<center><h1>502 Bad Gateway</h1></center>",
  "<hr><center>nginx</center>",
  "</body>",
  "</html>",
  ...Array.from(
    { length: 6 },
    () => "<!-- a padding to disable MSIE and Chrome friendly error page -->",
  ),
  "",
].join("\r\n");

/** The body of the `wrong-content-type` fault: what a health check or catch-all route says. */
export const wrongContentTypeBody = "OK: this route answers every request the same way\n";

/** Whether `name` is an HTTP fault name. */
export function isHttpFaultName(name: string): name is HttpFaultName {
  return (HTTP_FAULTS as readonly string[]).includes(name);
}

const methodNames: ReadonlySet<string> = new Set(RunService.methods.map((m) => m.name));

interface Entry {
  readonly fault: HttpFaultName;
  remaining: number;
}

/** The faults still to play, per method; decides each call's fault as it arrives. */
export class HttpFaultSchedule {
  private readonly entries = new Map<string, Entry>();

  constructor(faults: HttpFaults = {}) {
    for (const [method, rule] of Object.entries(faults)) {
      this.set(method as RunServiceMethodName | "*", rule);
    }
  }

  /** Replaces the fault of `method` (or of `"*"`); `undefined` clears it. */
  set(method: RunServiceMethodName | "*", rule: HttpFaultName | HttpFaultRule | undefined): void {
    // A misspelt RPC would never fire, and a test would pass for the wrong reason.
    if (method !== "*" && !methodNames.has(method)) {
      throw new TypeError(`unknown RunService RPC "${method}" for an HTTP fault`);
    }
    if (rule === undefined) {
      this.entries.delete(method);
      return;
    }
    const { fault, times } = typeof rule === "string" ? { fault: rule, times: undefined } : rule;
    if (!isHttpFaultName(fault)) {
      throw new TypeError(`unknown HTTP fault "${String(fault)}": use ${HTTP_FAULTS.join(", ")}`);
    }
    if (times !== undefined && !(Number.isInteger(times) && times >= 0)) {
      throw new RangeError(`times must be a non-negative integer, got ${times}`);
    }
    this.entries.set(method, { fault, remaining: times ?? Number.POSITIVE_INFINITY });
  }

  /** The fault of this call of `method`, if any, counted against its budget. */
  take(method: string): HttpFaultName | undefined {
    const own = this.entries.get(method);
    const entry = own !== undefined && own.remaining > 0 ? own : this.entries.get("*");
    if (entry === undefined || entry.remaining <= 0) return undefined;
    entry.remaining--;
    return entry.fault;
  }
}

/** The reply of a fault that answers in place of the service, or undefined for `truncated`. */
export function faultReply(fault: HttpFaultName): Response | undefined {
  switch (fault) {
    case "html-502":
      return new Response(gatewayErrorPage, {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html", server: "nginx" },
      });
    case "wrong-content-type":
      return new Response(wrongContentTypeBody, {
        status: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    case "truncated":
      return undefined;
  }
}

const flagEndStream = 0x02;

/**
 * Cuts a stream's body inside a frame. `body` must yield one envelope per chunk (as
 * `transformFrames` does): the first passes whole unless it is the end-of-stream frame,
 * the next is cut halfway, and nothing follows.
 */
export async function* truncateStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let index = 0;
  for await (const frame of body) {
    const last = index === 1 || ((frame[0] ?? 0) & flagEndStream) !== 0;
    if (!last) {
      index++;
      yield frame;
      continue;
    }
    // Halfway into the data; into the header when the frame has no data.
    const cut = Math.min(frame.byteLength - 1, 5 + Math.floor((frame.byteLength - 5) / 2));
    yield frame.subarray(0, cut);
    return;
  }
}

/** Cuts a unary body halfway. */
export async function* truncateUnary(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  yield all.subarray(0, Math.floor(size / 2));
}
