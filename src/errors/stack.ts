/**
 * Stack text: splitting it into header and frames, and telling our frames from the user's.
 *
 * A user whose callback threw wants to see their own code first, not the flyte-remote
 * plumbing that called it. Our frames are those whose file lies under this package's
 * `src/` or `dist/`, found from this module's own URL so no `node:path` is needed and the
 * folder still runs in browsers.
 */

/** Where our frames live, as a URL prefix and, for `file:` URLs, as path prefixes. */
const ROOT = packageRoot();

function packageRoot(): readonly string[] | undefined {
  try {
    const url = new URL("../", import.meta.url);
    // A bundle puts us next to the user's code; trimming by folder would then hide theirs.
    if (!/\/(src|dist)\/$/.test(url.pathname)) return undefined;
    const prefixes = [url.href];
    if (url.protocol === "file:") {
      const path = decodeURIComponent(url.pathname);
      prefixes.push(path);
      // Windows stacks read C:\dir\src\file.js.
      if (/^\/[A-Za-z]:\//.test(path)) prefixes.push(path.slice(1).replaceAll("/", "\\"));
    }
    return prefixes;
  } catch {
    return undefined;
  }
}

/** True for a stack frame line: V8's `    at …`, or SpiderMonkey and JavaScriptCore's `fn@url:1:2`. */
function isFrame(line: string): boolean {
  // Kept free of `.*`: a message line full of `@` must not make this quadratic.
  return /^\s+at\s/.test(line) || (line.includes("@") && /:\d+:\d+$/.test(line));
}

/** The frame lines of a stack, without the header (which repeats the message). */
export function framesOf(stack: unknown): string[] {
  if (typeof stack !== "string") return [];
  return stack.split("\n").filter(isFrame);
}

/** True when a frame points into flyte-remote's own `src/` or `dist/`. */
export function isOwnFrame(line: string): boolean {
  return ROOT?.some((prefix) => line.includes(prefix)) ?? false;
}

/**
 * Drops our own frames so the user's code comes first. If that would drop every frame (the
 * failure was entirely ours), the frames are kept: an empty trace helps nobody.
 */
export function trimOwnFrames(frames: readonly string[]): string[] {
  const kept = frames.filter((line) => !isOwnFrame(line));
  return kept.length > 0 ? kept : [...frames];
}

/**
 * Gives `target` the frames of the error it wraps, under its own message, so its trace
 * points at the original throw instead of at the wrapping code.
 */
export function adoptFrames(target: Error, frames: readonly string[]): void {
  if (frames.length === 0) return;
  try {
    Object.defineProperty(target, "stack", {
      value: `${target.message}\n${frames.join("\n")}`,
      writable: true,
      configurable: true,
    });
  } catch {
    // Keep the stack it has.
  }
}
