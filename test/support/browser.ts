import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, as installed by scripts/ensure-system-deps.sh. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags that keep Chromium quiet on a machine without internet, as root, without a GPU. */
export const chromiumArgs = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: run scripts/ensure-system-deps.sh (apt-get install chromium).`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] });
}

/** Signs up through the web app's form and waits until the page shows the session. */
export async function signUpInBrowser(page: Page, handle: string, name = handle): Promise<void> {
  await page.goto("/signup");
  await page.getByTestId("signup-handle").fill(handle);
  await page.getByTestId("signup-display-name").fill(name);
  await page.getByTestId("signup-password").fill("correct horse battery");
  await page.getByTestId("signup-submit").click();
  await page.getByTestId("logout").waitFor({ state: "attached" });
}
