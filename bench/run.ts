/**
 * `npm run bench -- NAME`: runs bench/NAME.ts, writes its figures to bench/results/NAME.json
 * and prints one summary line. Each benchmark compares against a baseline measured in the
 * same run, because this machine is shared and noisy.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface BenchResult {
  /** One line for the terminal. */
  summary: string;
  figures: Record<string, unknown>;
}

const dir = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(", ")})`);
  process.exit(2);
}
const bench = (await import(`./${name}.bench.ts`)) as { run: () => Promise<BenchResult> };
const startedAt = new Date().toISOString();
const result = await bench.run();
mkdirSync(`${dir}results`, { recursive: true });
writeFileSync(
  `${dir}results/${name}.json`,
  `${JSON.stringify({ benchmark: name, startedAt, ...result.figures }, null, 2)}\n`,
);
console.log(`${name}: ${result.summary}`);
process.exit(0);
