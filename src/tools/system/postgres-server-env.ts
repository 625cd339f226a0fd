/**
 * The caller's environment for PostgreSQL's programs, without the PG* variables that would
 * point them at another server or data folder, and in the C locale (stable messages).
 */
export function postgresServerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", LANG: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}
