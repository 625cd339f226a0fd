/**
 * A migrated embedded database, made once per run by the global setup and copied into each
 * test server's data folder. A new PGlite folder costs an initdb (3-4 s on the 2-core CI
 * machine, most of a test server's start); opening a copy of one already migrated costs well
 * under a second. The copy is a whole PostgreSQL data folder, shut down cleanly, of the same
 * checkout's migrations, so the server opening it runs the same code on the same schema;
 * migrating a fresh folder has tests of its own (test/integration/store-conformance.test.ts).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { openStore } from "../../src/store/database.ts";

export interface EmbeddedTemplate {
  /** A data folder holding `pglite/`, the layout openStore({ dataDir }) uses. */
  dataDir: string;
  remove(): void;
}

/** Runs every migration on a new embedded database in a temp folder, then closes it. */
export async function buildEmbeddedTemplate(): Promise<EmbeddedTemplate> {
  const dataDir = mkdtempSync(join(tmpdir(), "amphi-template-"));
  try {
    const store = await openStore({ dataDir });
    await store.close();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Puts a copy of the run's migrated database into `dataDir` (as `pglite/`), if the run has
 * one and the folder has no database yet; otherwise the server makes its own as usual.
 */
export function seedEmbeddedDatabase(dataDir: string): void {
  // Outside vitest (benchmarks start test servers too) there is no run and no template.
  const template = process.env.VITEST ? inject("embeddedTemplate") : undefined;
  const target = join(dataDir, "pglite");
  if (!template || existsSync(target)) return;
  cpSync(join(template, "pglite"), target, { recursive: true });
}
