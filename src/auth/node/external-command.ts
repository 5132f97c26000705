/**
 * Tokens printed by a command the user configured (`admin.authType: ExternalCommand`,
 * `admin.command`): a company's own token minter, a cloud CLI, a vault client.
 *
 * @module
 */

import { execFile } from "node:child_process";
import { authFailure } from "../auth-failure.js";
import type { Authenticator, TokenRequest } from "../authenticator.js";
import { jwtClaims } from "../jwt-claims.js";
import { TokenManager } from "../token-manager.js";

/** Options of {@link externalCommand}. */
export interface ExternalCommandOptions {
  /** The program and its arguments; run without a shell. */
  command: readonly string[];
  /** Kill the command after this long. Default 60 s. */
  timeoutMs?: number | undefined;
  /** Its environment; default this process's. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The clock; for tests. */
  now?: (() => number) | undefined;
}

/** The most of stderr that is quoted in an error. */
const QUOTE = 300;

/**
 * Runs the command for a token and uses what it prints on stdout, trimmed. The token is
 * reused until shortly before the `exp` of a JWT (or, for an opaque token, until the server
 * refuses it); then the command runs again. Failures are `TokenCommandFailed`.
 */
export function externalCommand(options: ExternalCommandOptions): Authenticator {
  const [program, ...args] = options.command;
  const now = options.now ?? Date.now;
  const printed: string[] = [];
  const manager = new TokenManager(
    {
      needsPerson: false,
      mayAskPerson: false,
      secrets: () => printed,
      acquire: async () => {
        if (program === undefined || program === "") {
          throw authFailure({
            code: "TokenCommandFailed",
            message: "admin.command is empty",
            hint: "Set admin.command to the program (and arguments) that prints a token.",
          });
        }
        const token = await run(program, args, options);
        printed.push(token);
        printed.splice(0, Math.max(0, printed.length - 8));
        const exp = jwtClaims(token)?.exp;
        return {
          accessToken: token,
          obtainedAt: now(),
          ...(typeof exp === "number" ? { expiresAt: exp * 1000 } : {}),
        };
      },
    },
    { now },
  );
  return {
    token: (request?: TokenRequest) => manager.token(request),
    secrets: () => manager.secrets(),
  };
}

function run(
  program: string,
  args: readonly string[],
  options: ExternalCommandOptions,
): Promise<string> {
  const shown = [program, ...args].join(" ");
  return new Promise<string>((resolve, reject) => {
    execFile(
      program,
      [...args],
      {
        timeout: options.timeoutMs ?? 60_000,
        env: (options.env ?? process.env) as NodeJS.ProcessEnv,
        maxBuffer: 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const token = String(stdout).trim();
        const secrets = token === "" ? [] : [token];
        const said = String(stderr).trim().slice(0, QUOTE);
        if (error !== null) {
          const code = (error as { code?: unknown | undefined }).code;
          const why =
            code === "ENOENT"
              ? "it was not found"
              : error.killed
                ? `it did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`
                : `it exited with ${typeof code === "number" ? `status ${code}` : String(code ?? error.signal)}`;
          reject(
            authFailure({
              code: "TokenCommandFailed",
              message: `the token command \`${shown}\` failed: ${why}${said === "" ? "" : `: ${said}`}`,
              secrets,
              details: { command: shown },
            }),
          );
          return;
        }
        if (token === "" || /\s/.test(token)) {
          reject(
            authFailure({
              code: "TokenCommandFailed",
              message: `the token command \`${shown}\` printed ${token === "" ? "nothing" : "more than one word"} on stdout`,
              secrets,
              details: { command: shown },
            }),
          );
          return;
        }
        resolve(token);
      },
    );
  });
}
