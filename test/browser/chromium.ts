/**
 * Debian's Chromium, driven by playwright-core: the real browser a front-end test meets,
 * never a downloaded one. Each launch gets a fresh profile in a temporary directory that
 * goes away with the browser, so no cookie, service worker or cache leaks between runs.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** The system browser; CI installs it with `apt-get install -y chromium`. */
export const chromiumPath = "/usr/bin/chromium";

/** Headless, no sandbox (containers have no user namespaces), nothing phoning home. */
export const chromiumFlags: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A page plus what went wrong in it that no `await` in the test would see. */
export interface BrowserPage {
  readonly page: Page;
  /** Uncaught exceptions and unhandled rejections in the page, as text. */
  readonly pageErrors: readonly string[];
  /**
   * `console.error` lines of the page, except the browser's own "Failed to load resource"
   * network log (an HTTP error status, a cut connection), which fault scenarios cause on
   * purpose and the client reports as typed errors.
   */
  readonly consoleErrors: readonly string[];
}

/** A running Chromium with one fresh profile. */
export interface Browser {
  /** Opens `url` in a new tab, watching for errors in the page. */
  open(url: string): Promise<BrowserPage>;
  /** Closes the browser and removes its profile. Idempotent. */
  close(): Promise<void>;
}

/** How long any single browser step may take before the test fails instead of hanging. */
const stepTimeoutMs = 20_000;

/** Launches Chromium with a fresh `--user-data-dir`. */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "flyte-remote-chromium-"));
  let context: BrowserContext;
  try {
    // A persistent context is how playwright takes a user-data-dir of our choosing.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumFlags],
      timeout: 30_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(stepTimeoutMs);
  let closing: Promise<void> | undefined;
  return {
    async open(url) {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      page.on("pageerror", (error) =>
        pageErrors.push(`${error.name}: ${error.message}\n${error.stack ?? ""}`.trim()),
      );
      page.on("console", (message) => {
        if (message.type() !== "error" || message.text().startsWith("Failed to load resource: "))
          return;
        const { url, lineNumber } = message.location();
        consoleErrors.push(`${message.text()} (${url}:${lineNumber})`);
      });
      await page.goto(url);
      return { page, pageErrors, consoleErrors };
    },
    close() {
      closing ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}
