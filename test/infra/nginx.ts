/**
 * A real nginx for the infrastructure suites: the Debian binary with a config and prefix of
 * our own in a temporary directory, listening on free loopback ports. Nothing it writes
 * (pid file, logs, temp files) leaves that directory, and it needs no root paths.
 *
 * nginx runs in the foreground (`daemon off`) as a child of the test process, with its pid
 * file under the prefix; {@link Nginx.stop} signals the pid the file names, waits for the
 * master to exit (SIGKILL after a bound) and removes the prefix. A process `exit` hook kills
 * whatever a crashed suite left running, so no nginx outlives the test worker.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "./free-port.js";

/** Where Debian installs nginx; `.ci/run` installs it when missing. */
export const NGINX_BINARY = process.env.NGINX_BINARY ?? "/usr/sbin/nginx";

/** A running nginx. */
export interface Nginx {
  /** The temporary prefix holding the config, the pid file, the logs and temp files. */
  readonly prefix: string;
  /** The ports of the listeners, in the order the config asked for them. */
  readonly ports: readonly number[];
  /** `http://127.0.0.1:<port>` of listener `index`. */
  url(index: number): string;
  /** The error log so far: nginx writes there what it did to each stream. */
  errorLog(): string;
  /** Stops nginx through its pid file and removes the prefix. Safe to call twice. */
  stop(): Promise<void>;
}

/** What {@link startNginx} serves. */
export interface NginxOptions {
  /** How many free ports to pick for the config's listeners. */
  readonly listeners: number;
  /** The `server { … }` blocks of the `http` context, given the picked ports. */
  readonly servers: (ports: readonly number[]) => string;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts nginx and resolves once every listener accepts connections. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(
      `no nginx at ${NGINX_BINARY}: install it (apt-get install -y nginx, as .ci/run does) or set NGINX_BINARY`,
    );
  }
  // A free port can be taken between our probe and nginx's bind; pick again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error;
    }
  }
}

async function startOnce(options: NginxOptions): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), "flyte-remote-nginx-"));
  const ports = await freePorts(options.listeners);
  const pidFile = join(prefix, "nginx.pid");
  const errorLogFile = join(prefix, "error.log");
  const conf = join(prefix, "nginx.conf");
  writeFileSync(conf, config(prefix, options.servers(ports)));

  // -e (nginx 1.19.5 and later) sends even the messages of startup, before the config is
  // read, to our log instead of the compiled-in /var/log path.
  const early = hasErrorLogFlag() ? ["-e", errorLogFile] : [];
  const child = spawn(NGINX_BINARY, ["-p", `${prefix}/`, "-c", conf, ...early], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running.delete(child);
      resolve();
    });
    child.once("error", (error) => {
      stderr += String(error);
      running.delete(child);
      resolve();
    });
  });

  const readLog = () => (existsSync(errorLogFile) ? readFileSync(errorLogFile, "utf8") : "");
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM is nginx's fast shutdown: open streams are cut, as on a real restart.
        signalPidFile(pidFile, "SIGTERM") || child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(prefix, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    await Promise.race([
      waitForPorts(ports, pidFile),
      exited.then(() => {
        throw new Error(`nginx exited during startup:\n${stderr}${readLog()}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    prefix,
    ports,
    url: (index) => `http://127.0.0.1:${ports[index]}`,
    errorLog: readLog,
    stop,
  };
}

let errorLogFlag: boolean | undefined;

/** Whether this nginx has `-e`: version 1.19.5 or later. */
function hasErrorLogFlag(): boolean {
  if (errorLogFlag === undefined) {
    const version = spawnSync(NGINX_BINARY, ["-v"], { encoding: "utf8" }).stderr ?? "";
    const [major = 0, minor = 0, patch = 0] = (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(version) ?? [])
      .slice(1)
      .map(Number);
    errorLogFlag = major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
  }
  return errorLogFlag;
}

function config(prefix: string, servers: string): string {
  // As root, nginx would run its worker as `nobody`, which cannot enter our private
  // prefix; keep the worker as the user that owns it.
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  return `${user}daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;

events {
  worker_connections 4096;
}

http {
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;

${servers}
}
`;
}

function signalPidFile(pidFile: string, signal: NodeJS.Signals): boolean {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
    if (!(pid > 0)) return false;
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitForPorts(ports: readonly number[], pidFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port} in time`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  while (!existsSync(pidFile)) {
    if (Date.now() > deadline) throw new Error(`nginx wrote no pid file ${pidFile}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
