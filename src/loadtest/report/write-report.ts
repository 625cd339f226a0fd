import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderReportHtml } from "./render-html.ts";
import type { LoadtestReport } from "./report-types.ts";

export interface WrittenReport {
  jsonPath: string;
  htmlPath: string;
}

/** Writes report.json and report.html into `outDir` (created if missing). */
export async function writeReport(report: LoadtestReport, outDir: string): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, "report.json");
  const htmlPath = join(outDir, "report.html");
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(htmlPath, renderReportHtml(report));
  return { jsonPath, htmlPath };
}
