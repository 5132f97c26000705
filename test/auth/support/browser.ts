/**
 * A person at a browser, played by Debian's headless Chromium through playwright-core: it
 * opens the provider's real pages, signs in, and approves or declines.
 *
 * playwright-core starts Chromium with a fresh temporary profile (`--user-data-dir`) of its
 * own and removes it on close; each person gets a new incognito-like context in it, so that
 * people signing in at once, at providers on the same host, never share a cookie.
 */

import { type Browser, chromium, type Page } from "playwright-core";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser with a fresh profile. */
export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    timeout: 30_000,
  });
  return { browser, close: () => browser.close() };
}

/** What the person does on the provider's pages. */
export type Decision = "approve" | "decline";

/**
 * Goes through the provider's pages from `url` until it lands somewhere that is not the
 * provider (the redirect listener), or, for the device flow, on its success page: signs in
 * as `login`, then continues or declines. Returns the text of the last page.
 */
export async function actAsPerson(
  browser: TestBrowser,
  url: string,
  options: { login: string; decision: Decision; issuer: string },
): Promise<string> {
  // Each person starts signed out, with cookies of their own.
  const context = await browser.browser.newContext();
  // The provider's pages @import web fonts; nothing but loopback is allowed out.
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
  });
  const page: Page = await context.newPage();
  try {
    await page.goto(url, { timeout: 15_000 });
    for (let step = 0; step < 10; step++) {
      await page.waitForLoadState("domcontentloaded");
      const here = page.url();
      if (!here.startsWith(options.issuer)) break;
      const body = (await page.textContent("body")) ?? "";
      if (/Sign-in Success|Device Login Successful|Success/i.test(body) && !(await hasForm(page))) {
        break;
      }
      if ((await page.locator('input[name="login"]').count()) > 0) {
        if (options.decision === "decline") {
          await Promise.all([page.waitForNavigation(), page.click("text=[ Cancel ]")]);
          continue;
        }
        await page.fill('input[name="login"]', options.login);
        await page.fill('input[name="password"]', "any-password-works-here");
        await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
        continue;
      }
      if ((await page.locator('input[name="user_code"]').count()) > 0) {
        await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
        continue;
      }
      if ((await page.locator('button[name="abort"]').count()) > 0) {
        const target =
          options.decision === "decline" ? 'button[name="abort"]' : "button[autofocus]";
        await Promise.all([page.waitForNavigation(), page.click(target)]);
        continue;
      }
      if ((await page.locator("button[autofocus]").count()) > 0) {
        await Promise.all([page.waitForNavigation(), page.click("button[autofocus]")]);
        continue;
      }
      break;
    }
    return (await page.textContent("body")) ?? "";
  } finally {
    await context.close();
  }
}

async function hasForm(page: Page): Promise<boolean> {
  return (await page.locator("form").count()) > 0;
}
