import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type AmphiProcess, startAmphiProcess } from "./amphi-process.ts";
import { launchChromium } from "./browser.ts";
import { seedEmbeddedDatabase } from "./embedded-template.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** One end-to-end setup: Amphi as its own process, Chromium, and pages on it. */
export interface BrowserRig {
  /** The server process (a new one after crashAndRestart). */
  readonly amphi: AmphiProcess;
  browser: Browser;
  /** The server's data folder (removed by close()); a place for test files too. */
  dataDir: string;
  /** A page in a fresh context (its own cookies) on the server. */
  newPage(): Promise<Page>;
  /**
   * Kills the server with SIGKILL (a media node dying: every WebRTC session, socket and
   * blocking playlist request is cut, nothing is closed politely). `restart` then starts it
   * again on the same port and data folder, as a node taking the Spaces over; the browser's
   * URLs stay the same.
   */
  crash(): Promise<{ restart: () => Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Builds the web app if needed, starts `amphi serve` with `env` in a temp data folder (holding
 * a copy of the run's migrated embedded database, embedded-template.ts) and
 * launches Chromium with the extra flags `chromiumArgs` gives (it sees the data folder).
 */
export async function startBrowserRig(options: {
  name: string;
  env?: Record<string, string>;
  chromiumArgs?: (dataDir: string) => string[];
  pageTimeoutMs?: number;
  /** How long the server may take to start (a loaded machine starts it slowly). */
  startTimeoutMs?: number;
}): Promise<BrowserRig> {
  // Both pages of the build (the app and the embedded player): a build older than the embed
  // page is rebuilt.
  if (!["index.html", "embed.html"].every((page) => existsSync(join(root, "web/dist", page)))) {
    execFileSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "ignore" });
  }
  const dataDir = mkdtempSync(join(tmpdir(), `amphi-e2e-${options.name}-`));
  // The run's migrated embedded database, copied: no initdb in the server's start.
  if (!options.env?.DATABASE_URL) seedEmbeddedDatabase(dataDir);
  const contexts: BrowserContext[] = [];
  let amphi: AmphiProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await amphi?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    amphi = await startAmphiProcess({
      dataDir,
      ...(options.env ? { env: options.env } : {}),
      ...(options.startTimeoutMs ? { timeoutMs: options.startTimeoutMs } : {}),
    });
    browser = await launchChromium(options.chromiumArgs?.(dataDir) ?? []);
  } catch (error) {
    await close();
    throw error;
  }
  const started = { amphi, browser };
  const env = options.env ? { env: options.env } : {};
  return {
    get amphi() {
      return started.amphi;
    },
    browser,
    dataDir,
    close,
    crash: async () => {
      const dead = started.amphi;
      const port = Number(new URL(dead.url).port);
      dead.child.kill("SIGKILL");
      await dead.exited;
      return {
        restart: async () => {
          amphi = await startAmphiProcess({ dataDir, port, ...env });
          started.amphi = amphi;
        },
      };
    },
    newPage: async () => {
      const context = await started.browser.newContext({ baseURL: started.amphi.url });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(options.pageTimeoutMs ?? 20_000);
      return page;
    },
  };
}
