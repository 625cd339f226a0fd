import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, type TestAccount, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { speechWav } from "../support/speech-wav.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/**
 * Notice and action as people live it in Debian's Chromium (issue 12, DSA Art. 15-24): an
 * anonymous listener reports a moment of a live Space (and a trusted flagger the speaker, whose
 * notice goes first); a moderator hears the Space, limits its reach and removes the speaker; the speaker reads the statement of reasons and appeals; a
 * second moderator reverses it; the transparency report counts all of it; the audit log's
 * hash chain verifies, then names the row someone changed.
 *
 * The server runs on PostgreSQL (DATABASE_URL), as in production: `amphi admin grant` and
 * `amphi audit verify` run beside it, as an operator runs them. Screenshots go to
 * SCREENSHOT_DIR (default /tmp/amphi-moderation-shots).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const shots = process.env.SCREENSHOT_DIR ?? "/tmp/amphi-moderation-shots";
let database: TestDatabase;
let rig: BrowserRig;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  database = await createTestDatabase();
  rig = await startBrowserRig({
    name: "moderation",
    env: { DATABASE_URL: database.url },
    startTimeoutMs: 180_000,
    pageTimeoutMs: 30_000,
    chromiumArgs: (dataDir) => [
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${speechWav(undefined, dataDir)}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}, 240_000);

afterAll(async () => {
  await rig?.close();
  await database?.drop();
});

/** `npx amphi ...` against the test server's database; resolves with the exit code and output. */
function amphi(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin/amphi.mjs"), ...args],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? "").trim();

async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("notice and action, from a listener's report to the transparency report", () => {
  it("reports a live moment, acts with reasons, takes an appeal, reverses, counts and audits", async () => {
    const base = rig.amphi.url;
    const day = new Date().toISOString().slice(0, 10);

    // People: a host (API), a guest speaker, two moderators (one an admin) and an anonymous
    // listener, each in their own browser context.
    const host: TestAccount = await signUp(base, uniqueHandle("host"));
    const guestHandle = uniqueHandle("guest");
    const mod1Handle = uniqueHandle("mod");
    const mod2Handle = uniqueHandle("adm");
    const flaggerHandle = uniqueHandle("flag");
    const guest = await rig.newPage();
    const mod1 = await rig.newPage();
    const mod2 = await rig.newPage();
    const listener = await rig.newPage();
    const flagger = await rig.newPage();
    await signUpInBrowser(guest, guestHandle, "Gia Guest");
    await signUpInBrowser(mod1, mod1Handle, "Mo Moderator");
    await signUpInBrowser(mod2, mod2Handle, "Ada Admin");
    await signUpInBrowser(flagger, flaggerHandle, "Fran Flagger");

    // Before any grant, the console says it is for moderators.
    await mod1.goto("/moderation");
    await mod1.getByTestId("not-allowed").waitFor();
    await shot(mod1, "01-console-not-allowed");

    // An operator grants the roles on the command line.
    const grant1 = await amphi(["admin", "grant", "--handle", mod1Handle, "--role", "moderator"]);
    expect(grant1, grant1.output).toMatchObject({ code: 0 });
    const grant2 = await amphi(["admin", "grant", "--handle", mod2Handle, "--role", "admin"]);
    expect(grant2, grant2.output).toMatchObject({ code: 0 });
    const grant3 = await amphi([
      "admin",
      "grant",
      "--handle",
      flaggerHandle,
      "--role",
      "trusted-flagger",
    ]);
    expect(grant3, grant3.output).toMatchObject({ code: 0 });

    // The host goes live and invites the guest, who accepts and speaks.
    const title = `Tonight: the interview ${Date.now() % 10_000}`;
    const created = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title, startNow: true, recording: true },
    });
    expect(created.status).toBe(201);
    const spaceId: string = created.body.space.id;
    const invited = await api(base, "POST", `/api/spaces/${spaceId}/invitations`, {
      token: host.token,
      body: { handle: guestHandle },
    });
    expect(invited.status, JSON.stringify(invited.body)).toBeLessThan(300);
    await guest.goto(`/spaces/${spaceId}`);
    await guest.getByTestId("accept-invitation").click();
    await guest.getByTestId("join-mic").click();
    await expect.poll(() => text(guest, "mic-status"), { timeout: 30_000 }).toBe("Live");

    // An anonymous listener listens, then reports what they hear.
    await listener.goto(`/spaces/${spaceId}`);
    await listener.getByTestId("listen-button").click();
    await expect
      .poll(() => listener.getByTestId("audio-player").getAttribute("data-phase"), {
        timeout: 30_000,
      })
      .toBe("ready");
    await listener.waitForTimeout(3000);
    await listener.getByTestId("report-button").click();
    const dialog = listener.getByTestId("report-dialog");
    await dialog.waitFor();
    expect(await dialog.getByTestId("report-moment").textContent()).toMatch(/\d+:\d\d.*live/);
    // Sending without a category, explanation or good faith says what is missing.
    await dialog.getByTestId("report-submit").click();
    expect(await dialog.locator(".field-error").count()).toBe(3);
    await dialog
      .getByTestId("report-category")
      .selectOption("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH");
    await dialog
      .getByTestId("report-explanation")
      .fill("The guest calls for violence against a group of people, about a minute in.");
    await dialog.getByTestId("report-good-faith").check();
    await shot(listener, "02-report-dialog");
    await dialog.getByTestId("report-submit").click();
    await dialog.getByTestId("report-receipt").waitFor();
    const reportId = await dialog.getByTestId("report-receipt").getAttribute("data-report-id");
    expect(reportId).toBeTruthy();
    const statusLink = await dialog.getByTestId("report-status-link").getAttribute("href");
    expect(statusLink).toMatch(new RegExp(`^/reports/${reportId}\\?token=[\\w-]{20,}$`));
    await shot(listener, "03-report-receipt");
    await dialog.getByTestId("report-done").click();

    // Its private link shows it under review.
    await listener.goto(statusLink ?? "");
    await expect.poll(() => text(listener, "report-status")).toBe("Under review");

    // A trusted flagger (Art. 22), logged in, reports the speaker too; their receipt leads to
    // "Your reports".
    await flagger.goto(`/spaces/${spaceId}`);
    await flagger.getByTestId("report-button").click();
    const flagDialog = flagger.getByTestId("report-dialog");
    await flagDialog
      .getByTestId("report-category")
      .selectOption("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH");
    await flagDialog
      .getByTestId("report-explanation")
      .fill("Incitement to violence by the guest speaker, live now.");
    await flagDialog.getByTestId("report-good-faith").check();
    await flagDialog.getByTestId("report-submit").click();
    await flagDialog.getByTestId("report-receipt").waitFor();
    const flagReportId = await flagDialog
      .getByTestId("report-receipt")
      .getAttribute("data-report-id");
    expect(await flagDialog.getByTestId("report-status-link").count()).toBe(0);
    await flagDialog.getByRole("link", { name: "Your reports" }).click();
    await flagger.getByTestId("report-page").waitFor();
    await expect.poll(() => text(flagger, "report-status")).toBe("Under review");

    // Moderator 1 finds both in the queue, the trusted flagger's first though it came later,
    // and hears the Space live.
    await mod1.goto("/moderation");
    const item = mod1.locator(`[data-testid="queue-item"][data-report-id="${reportId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain(title);
    const queue = await mod1
      .getByTestId("queue-item")
      .evaluateAll((items) => items.map((i) => i.getAttribute("data-report-id")));
    expect(queue).toEqual([flagReportId, reportId]);
    await shot(mod1, "04-console-queue");
    await item.locator("a").click();
    await mod1.getByTestId("moderation-report-page").waitFor();
    expect(await text(mod1, "notice-explanation")).toContain("calls for violence");
    await mod1.getByTestId("moderator-listen").click();
    await expect
      .poll(() => mod1.getByTestId("moderator-player").getAttribute("data-phase"), {
        timeout: 30_000,
      })
      .toBe("ready");
    const heard = () =>
      mod1.getByTestId("moderator-audio").evaluate((a) => (a as HTMLAudioElement).currentTime);
    const firstHeard = await heard();
    await expect.poll(heard, { timeout: 15_000 }).toBeGreaterThan(firstHeard + 1);
    await shot(mod1, "05-console-report-live");

    // It limits the Space's reach...
    await mod1.getByTestId("action-limit_reach").check();
    await mod1.getByTestId("decision-days").fill("30");
    await mod1.getByTestId("decision-ground").fill("§ 130 StGB (incitement to hatred)");
    await mod1
      .getByTestId("decision-facts")
      .fill("At 1:02 the guest calls on listeners to attack a named group.");
    await mod1
      .getByTestId("decision-explanation")
      .fill("A call to violence against a group is incitement to hatred under § 130 StGB.");
    await shot(mod1, "06-console-decision-form");
    await mod1.getByTestId("decision-submit").click();
    await expect.poll(() => mod1.getByTestId("decision-done").count()).toBe(1);

    // ...and, on the trusted flagger's notice, removes the speaker.
    await mod1.goto(`/moderation/reports/${flagReportId}`);
    await mod1.getByTestId("decision-form").waitFor();
    await mod1.getByTestId("action-remove_speaker").check();
    await mod1.getByTestId("decision-speaker").selectOption(guestHandle);
    await mod1.getByTestId("decision-ground").fill("§ 130 StGB (incitement to hatred)");
    await mod1
      .getByTestId("decision-facts")
      .fill("At 1:02 the guest calls on listeners to attack a named group.");
    await mod1
      .getByTestId("decision-explanation")
      .fill("The speaker incited hatred live; they leave the stage of this Space.");
    await mod1.getByTestId("decision-submit").click();
    await expect.poll(() => mod1.getByTestId("decision-done").count()).toBe(1);
    await shot(mod1, "07-console-decided");

    // The guest is off the stage.
    await expect
      .poll(
        async () => {
          const doc = await api(base, "GET", `/api/spaces/${spaceId}`, {
            headers: { "cache-control": "no-cache" },
          });
          return (doc.body.space.stage as { account: { handle: string } }[]).map(
            (s) => s.account.handle,
          );
        },
        { timeout: 15_000 },
      )
      .not.toContain(guestHandle);

    // The anonymous listener's link now shows the decision, with its reasons.
    await listener.reload();
    await expect.poll(() => text(listener, "report-status")).toBe("Decided");
    await listener.getByTestId("report-statement-link").click();
    await listener.getByTestId("statement").waitFor();

    // The trusted flagger reads the decision under "Your reports".
    await flagger.reload();
    await expect.poll(() => text(flagger, "report-status")).toBe("Decided");
    expect(await text(flagger, "report-decision")).toContain("Remove a speaker");

    // The speaker finds the statement of reasons in the inbox and appeals.
    await guest.goto("/notifications");
    const entry = guest.getByTestId("notification-link").filter({ hasText: /removed you/i });
    await entry.first().waitFor({ timeout: 30_000 });
    await entry.first().click();
    await guest.waitForURL(/\/statements\//);
    const statement = guest.getByTestId("statement");
    await statement.waitFor();
    expect(await statement.getAttribute("data-kind")).toBe("decision");
    expect(await text(guest, "statement-action")).toMatch(/Remove a speaker/);
    expect(await text(guest, "statement-facts")).toContain("At 1:02");
    expect(await text(guest, "statement-ground")).toContain("§ 130 StGB");
    expect(await text(guest, "statement-automation")).toMatch(/not detected by automated means/i);
    expect(await text(guest, "statement-redress")).not.toBe("");
    await shot(guest, "08-statement-of-reasons");
    await guest
      .getByTestId("appeal-explanation")
      .fill("I quoted a slogan in order to condemn it; the full sentence shows that.");
    await guest.getByTestId("appeal-submit").click();
    await expect
      .poll(() => guest.getByTestId("appeal-outcome").getAttribute("data-status"))
      .toBe("pending");
    await shot(guest, "09-appeal-sent");

    // The moderator who decided may not decide the appeal...
    await mod1.goto("/moderation?tab=appeals");
    const mine = mod1.getByTestId("appeal-item").first();
    await mine.waitFor();
    await mine.getByTestId("appeal-decision-explanation").fill("Looks fine to me.");
    await mine.getByTestId("appeal-reverse").click();
    await mine.getByTestId("same-moderator").waitFor();

    // ...a second one reverses it.
    await mod2.goto("/moderation?tab=appeals");
    const appeal = mod2.getByTestId("appeal-item").first();
    await appeal.waitFor();
    expect(await appeal.getByTestId("appeal-reasons").textContent()).toContain("condemn it");
    await shot(mod2, "10-console-appeals");
    await appeal
      .getByTestId("appeal-decision-explanation")
      .fill("In context the sentence condemns the slogan; the removal is reversed.");
    await appeal.getByTestId("appeal-reverse").click();
    await expect.poll(() => appeal.getAttribute("data-status")).toBe("reversed");

    // The speaker reads the reversal among the decisions about them.
    await guest.goto("/reports");
    const reversal = guest.getByTestId("my-statements").getByText("A decision was reversed");
    await reversal.waitFor({ timeout: 30_000 });
    await reversal.click();
    await expect
      .poll(() => guest.getByTestId("statement").getAttribute("data-kind"))
      .toBe("reversal");
    await shot(guest, "11-reversal");

    // The transparency report counts the notice, both actions and the reversed appeal.
    const visitor = await rig.newPage();
    await visitor.goto(`/transparency?from=${day}&to=${day}`);
    const figure = (testId: string) =>
      visitor.getByTestId(testId).locator(".figure-value").textContent();
    await expect.poll(() => figure("figure-notices")).toBe("2");
    const byType = visitor.getByTestId("actions-by-type");
    await expect
      .poll(() => byType.locator('tr[data-key="limit_reach"] .count-number').textContent())
      .toBe("1");
    expect(await byType.locator('tr[data-key="remove_speaker"] .count-number').textContent()).toBe(
      "1",
    );
    expect(
      await visitor
        .getByTestId("notices-by-category")
        .locator('tr[data-key="STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"] .count-number')
        .textContent(),
    ).toBe("2");
    const bySource = visitor.getByTestId("notices-by-source");
    for (const source of ["SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER"]) {
      expect(await bySource.locator(`tr[data-key="${source}"] .count-number`).textContent()).toBe(
        "1",
      );
    }
    expect(await figure("appeals-reversed")).toBe("1");
    await shot(visitor, "12-transparency");

    // The audit log verifies; changing one row breaks the chain there, and the tool says where.
    const intact = await amphi(["audit", "verify"]);
    expect(intact, intact.output).toMatchObject({ code: 0 });
    const seq = await withDatabase(async (client) => {
      const rows = await client.query("SELECT seq FROM audit_log ORDER BY seq");
      expect(rows.rows.length).toBeGreaterThanOrEqual(6); // 3 grants, 2 decisions, 1 appeal
      const target = String(rows.rows[2].seq);
      await client.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
      await client.query(
        "UPDATE audit_log SET details = replace(details, 'remove_speaker', 'warn') || ' ' WHERE seq = $1",
        [target],
      );
      await client.query("ALTER TABLE audit_log ENABLE TRIGGER USER");
      return target;
    });
    const tampered = await amphi(["audit", "verify"]);
    expect(tampered.code, tampered.output).not.toBe(0);
    expect(tampered.output).toMatch(new RegExp(`row ${seq}\\b`));
  }, 420_000);
});
