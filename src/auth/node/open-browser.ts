/**
 * Opens a URL in the person's browser, without a shell (the URL carries `&` and is never
 * interpreted by one).
 *
 * @module
 */

import { spawn } from "node:child_process";

/** The command that opens a URL on this platform; `BROWSER` wins, as in Python's webbrowser. */
export function browserCommand(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  const browser = env.BROWSER?.trim();
  if (browser !== undefined && browser !== "") return [browser, [url]];
  if (platform === "darwin") return ["open", [url]];
  if (platform === "win32") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  return ["xdg-open", [url]];
}

/** Starts the browser; resolves whether the command could be started. */
export function openInBrowser(url: string): Promise<boolean> {
  const [command, args] = browserCommand(url);
  return new Promise<boolean>((resolve) => {
    try {
      const child = spawn(command, args, { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
