import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";

/** Keepalive settings of one HTTP/2 connection. */
export interface KeepaliveOptions {
  /** Silence, with streams open, after which a PING is sent. */
  readonly pingIntervalMs: number;
  /** A PING unanswered for this long means the connection is dead. */
  readonly pingTimeoutMs: number;
}

/**
 * One HTTP/2 connection for connect-node's transports, kept alive with PINGs.
 *
 * connect-node ships a session manager that does the same, but it can raise a PING
 * timeout as an uncaught exception when the connection's error fires after the manager
 * has detached its listeners; in a user's service that is a crash. This one keeps an error
 * listener for the connection's whole life, so a dead connection only ever fails the
 * streams on it, which the watch loop retries. It also tells the pool the server's own
 * stream limit, and unrefs an idle connection so it never keeps a process alive.
 */
export class Http2Connection {
  readonly authority: string;
  private session: http2.ClientHttp2Session | undefined;
  private ready: Promise<http2.ClientHttp2Session> | undefined;
  private streams = 0;
  private lastActivity = 0;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    baseUrl: string,
    private readonly keepalive: KeepaliveOptions,
  ) {
    this.authority = new URL(baseUrl).origin;
  }

  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS, once the connection is up. */
  get remoteMaxStreams(): number | undefined {
    return this.session?.remoteSettings.maxConcurrentStreams;
  }

  /** Opens a stream; connect-node calls this for every request. */
  async request(
    method: string,
    path: string,
    headers: http2.OutgoingHttpHeaders,
    options: Omit<http2.ClientSessionRequestOptions, "signal">,
  ): Promise<http2.ClientHttp2Stream> {
    const session = await this.connect();
    const stream = session.request({ ...headers, ":method": method, ":path": path }, options);
    this.streams++;
    this.lastActivity = Date.now();
    if (this.streams === 1) {
      session.ref();
      this.schedulePing(session);
    }
    stream.once("close", () => {
      this.streams--;
      if (this.streams === 0) {
        this.stopPing();
        if (!session.destroyed) session.unref();
      }
    });
    return stream;
  }

  /** Data arrived: the connection is alive, so the next PING can wait. */
  notifyResponseByteRead(): void {
    this.lastActivity = Date.now();
  }

  /** Destroys the connection; its streams fail and later requests open a new one. */
  abort(reason?: Error): void {
    this.stopPing();
    const session = this.session;
    this.session = undefined;
    this.ready = undefined;
    session?.destroy(reason, http2.constants.NGHTTP2_CANCEL);
  }

  /** Closes for good; later requests fail. */
  close(): void {
    this.closed = true;
    this.abort();
  }

  private connect(): Promise<http2.ClientHttp2Session> {
    if (this.closed) {
      return Promise.reject(new ConnectError("the client is closed", Code.Canceled));
    }
    const current = this.session;
    if (current !== undefined && !current.closed && !current.destroyed && this.ready) {
      return this.ready;
    }
    const session = http2.connect(this.authority);
    this.session = session;
    // Errors reach the streams on the connection; this listener only keeps a late
    // connection error from becoming an uncaught exception.
    session.on("error", () => {});
    session.once("close", () => {
      if (this.session === session) {
        this.session = undefined;
        this.ready = undefined;
        this.stopPing();
      }
    });
    session.once("goaway", () => {
      // Streams already open finish on it; new ones go to a new connection.
      if (this.session === session) {
        this.session = undefined;
        this.ready = undefined;
      }
    });
    const ready = new Promise<http2.ClientHttp2Session>((resolve, reject) => {
      const onError = (error: unknown) => {
        reject(
          new ConnectError(
            `cannot connect to ${this.authority}: ${String((error as Error)?.message ?? error)}`,
            Code.Unavailable,
            undefined,
            undefined,
            error,
          ),
        );
      };
      session.once("error", onError);
      session.once("connect", () => {
        session.off("error", onError);
        session.unref();
        resolve(session);
      });
    });
    this.ready = ready;
    ready.catch(() => {
      if (this.session === session) {
        this.session = undefined;
        this.ready = undefined;
      }
    });
    return ready;
  }

  private schedulePing(session: http2.ClientHttp2Session): void {
    this.stopPing();
    const { pingIntervalMs, pingTimeoutMs } = this.keepalive;
    const wait = Math.max(1, this.lastActivity + pingIntervalMs - Date.now());
    this.pingTimer = setTimeout(() => {
      this.pingTimer = undefined;
      if (this.session !== session || this.streams === 0 || session.destroyed) return;
      if (Date.now() - this.lastActivity < pingIntervalMs) {
        this.schedulePing(session);
        return;
      }
      const deadline = setTimeout(() => {
        if (this.session === session) {
          this.abort(new ConnectError("PING timed out: the connection is dead", Code.Unavailable));
        } else {
          session.destroy(undefined, http2.constants.NGHTTP2_CANCEL);
        }
      }, pingTimeoutMs);
      const sent = session.ping((error) => {
        clearTimeout(deadline);
        if (error !== null || this.session !== session) return;
        this.lastActivity = Date.now();
        if (this.streams > 0) this.schedulePing(session);
      });
      if (!sent) clearTimeout(deadline);
    }, wait);
  }

  private stopPing(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }
}
