/**
 * Vitest global setup, run in the main process once per project of the run. Projects other
 * than "unit" get one PostgreSQL server, shared by the whole run and stopped at its end;
 * tests reach it with `inject("postgresUrl")` and make their own database on it
 * (test/support/test-database.ts). AMPHI_TEST_POSTGRES_URL points the run at a server of
 * your own instead. They also get a migrated embedded database to copy, made once
 * (`inject("embeddedTemplate")`, test/support/embedded-template.ts).
 */
import type { TestProject } from "vitest/node";
import { buildEmbeddedTemplate, type EmbeddedTemplate } from "./embedded-template.ts";
import { type PostgresServer, startPostgres } from "./postgres-server.ts";

interface Shared {
  server: Promise<Pick<PostgresServer, "url" | "stop">>;
  template: Promise<EmbeddedTemplate>;
  users: number;
}

// On globalThis, not in this module: each project may load its own copy of this file.
const key = Symbol.for("amphi.test.postgres");
const holder = globalThis as { [key]?: Shared | undefined };

function acquire(): Shared {
  let shared = holder[key];
  if (!shared) {
    const external = process.env.AMPHI_TEST_POSTGRES_URL;
    const server = external
      ? Promise.resolve({ url: external, stop: async () => {} })
      : startPostgres();
    shared = { server, template: buildEmbeddedTemplate(), users: 0 };
    holder[key] = shared;
    // A failed start is reported to each project that asked, and retried by none.
  }
  shared.users++;
  return shared;
}

async function release(): Promise<void> {
  const shared = holder[key];
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  holder[key] = undefined;
  const [server, template] = await Promise.all([
    shared.server.catch(() => null),
    shared.template.catch(() => null),
  ]);
  template?.remove();
  await server?.stop();
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (project.isRootProject() || project.name === "unit") return;
  const started = performance.now();
  let server: Awaited<Shared["server"]>;
  let template: EmbeddedTemplate;
  try {
    const shared = acquire();
    [server, template] = await Promise.all([shared.server, shared.template]);
  } catch (error) {
    await release();
    throw error;
  }
  if (process.env.AMPHI_TEST_DEBUG) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(
      `amphi tests: PostgreSQL at ${server.url} for ${project.name} (${ms} ms)\n`,
    );
  }
  project.provide("postgresUrl", server.url);
  project.provide("embeddedTemplate", template.dataDir);
  return release;
}
