/** The parent's side of bench/server-child.ts: fork it, ask, await the answer. */

import { type ChildProcess, fork } from "node:child_process";
import type { ServerCommand, ServerReply } from "./server-child.js";

type ReplyOf<T extends ServerReply["type"]> = Extract<ServerReply, { type: T }>;

/** A test server running in a child process. */
export class ServerProcess {
  private readonly child: ChildProcess;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  /** Forks the child and starts its server. */
  static async start(options: { maxConcurrentStreams: number; speed: number }): Promise<{
    process: ServerProcess;
    url: string;
  }> {
    const child = fork(new URL("./server-child.js", import.meta.url), [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const process = new ServerProcess(child);
    const started = await process.ask({ type: "start", ...options }, "started");
    return { process, url: started.url };
  }

  /** The child's process id, to pin it to a core. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Sends one command and waits for its reply; commands are answered in order. */
  ask<T extends ServerReply["type"]>(command: ServerCommand, expect: T): Promise<ReplyOf<T>> {
    const next = this.queue.then(
      () =>
        new Promise<ReplyOf<T>>((resolve, reject) => {
          const onExit = (code: number | null) =>
            reject(new Error(`server child exited (${code}) during ${command.type}`));
          this.child.once("exit", onExit);
          this.child.once("message", (reply: ServerReply) => {
            this.child.off("exit", onExit);
            if (reply.type === expect) resolve(reply as ReplyOf<T>);
            else
              reject(
                new Error(
                  `server child answered ${reply.type} to ${command.type}${reply.type === "error" ? `: ${reply.message}` : ""}`,
                ),
              );
          });
          this.child.send(command);
        }),
    );
    this.queue = next.catch(() => {});
    return next;
  }

  /** Closes the server and waits for the child to exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    try {
      await this.ask({ type: "close" }, "closed");
    } catch {
      this.child.kill();
    }
    await exited;
  }
}
