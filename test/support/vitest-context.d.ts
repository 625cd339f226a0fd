// Values the global setup hands to tests: `inject("postgresUrl")` in a test file.
export {};

declare module "vitest" {
  export interface ProvidedContext {
    /**
     * The maintenance database (`.../postgres`) of the PostgreSQL server started for this
     * run; empty in projects that do not need one ("unit"). Create a database of your own
     * on it with createTestDatabase() from test/support/test-database.ts.
     */
    postgresUrl: string;
    /**
     * A data folder holding a migrated embedded database (`pglite/`), made once for the run;
     * empty in "unit". seedEmbeddedDatabase() in test/support/embedded-template.ts copies it.
     */
    embeddedTemplate: string;
  }
}
