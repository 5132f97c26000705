/**
 * Serves one fetch `Request` with a connect universal handler and gives the
 * service's faults a fetch-shaped body: a reset errors the body the way a
 * dropped connection errors Node's fetch, a stall stops the bytes without
 * ending the body, and a spoiled frame is rewritten in place.
 *
 * @module
 */

import { createContextValues } from "@connectrpc/connect";
import {
  createLinkedAbortController,
  type UniversalHandler,
  universalServerRequestFromFetch,
} from "@connectrpc/connect/protocol";
import { type CallControl, callControlKey } from "../testing/call-control.js";
import { transformFrames } from "../testing/frames.js";
import { truncateStream, truncateUnary } from "./http-fault.js";

/** Options of {@link serveFetchCall}. */
export interface FetchCallOptions {
  /** Cut the reply inside a frame (the `truncated` HTTP fault). */
  readonly truncate: boolean;
  /**
   * Called with a function that cuts the call like a dropped connection; the returned
   * function forgets it once the call is over. Lets the owner end every call on close.
   */
  readonly track: (cut: () => void) => () => void;
}

/**
 * What Node's fetch throws from a body whose connection dropped: undici's `TypeError:
 * terminated`, caused by a `SocketError` with code `UND_ERR_SOCKET`. A reset looks the
 * same to the code under test as a real one does.
 */
function droppedConnection(): TypeError {
  const socket = Object.assign(new Error("other side closed"), {
    name: "SocketError",
    code: "UND_ERR_SOCKET",
  });
  return new TypeError("terminated", { cause: socket });
}

/**
 * A byte stream that reads its source only when the reader asks (no read-ahead), so a
 * reset errors the body only after the reader took what was sent before it. `onCancel`
 * runs when the reader gives up; the source may be busy awaiting the service then.
 */
function toReadableStream(
  body: AsyncIterable<Uint8Array>,
  onCancel: () => void,
): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const r = await it.next();
        if (r.done === true) controller.close();
        else controller.enqueue(r.value);
      },
      cancel() {
        onCancel();
        it.return?.().catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/** Serves `request` with `handler`, applying the call's faults. */
export async function serveFetchCall(
  handler: UniversalHandler,
  request: Request,
  options: FetchCallOptions,
): Promise<Response> {
  let state: "open" | "stalled" | "cut" = "open";
  let interrupt: () => void = () => {};
  const interrupted = new Promise<"interrupted">((resolve) => {
    interrupt = () => resolve("interrupted");
  });
  // Aborted when the call is cut, so the service's handler sees its signal fire.
  const cutter = new AbortController();
  const cut = () => {
    if (state === "cut") return;
    state = "cut";
    interrupt();
    cutter.abort(droppedConnection());
  };
  const forget = options.track(cut);
  const corrupt = new Set<number>();
  const control: CallControl = {
    reset: cut,
    stall() {
      if (state !== "open") return;
      state = "stalled";
      interrupt();
    },
    corruptFrame(index) {
      corrupt.add(index);
    },
  };
  const signal = createLinkedAbortController(request.signal, cutter.signal).signal;
  signal.addEventListener("abort", cut, { once: true });

  const uReq = {
    ...universalServerRequestFromFetch(request, { httpVersion: "1.1" }),
    signal,
    contextValues: createContextValues().set(callControlKey, control),
  };
  // Responses go uncompressed: the router accepts no compression, and browsers
  // could not decompress connect's per-message compression anyway.
  const uRes = await handler(uReq);
  const streaming = handler.method.methodKind !== "unary";
  let body = uRes.body;
  if (body !== undefined && streaming) {
    body = transformFrames(body, {
      corrupt,
      json: (uRes.header?.get("content-type") ?? "").includes("json"),
      method: handler.method.name,
    });
  }
  if (body !== undefined && options.truncate) {
    body = streaming ? truncateStream(body) : truncateUnary(body);
  }

  async function* guarded(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const it = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        if (state === "stalled") await interruptedOrCut();
        if (state === "cut") throw droppedConnection();
        const pending = it.next();
        // The race may leave it unsettled; its failure is this call's end, not news.
        pending.catch(() => {});
        const next = await Promise.race([pending, interrupted]);
        // Whatever the service sent after a reset or stall never goes out.
        if (state !== "open" || next === "interrupted") continue;
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      forget();
      it.return?.().catch(() => {});
    }
  }

  function interruptedOrCut(): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  if (body === undefined) forget();
  // A reader that cancels the body has gone away like a client closing its connection.
  return new Response(body === undefined ? null : toReadableStream(guarded(body), cut), {
    status: uRes.status,
    ...(uRes.header === undefined ? {} : { headers: uRes.header }),
  });
}
