/**
 * Line charts as inline SVG, written by hand so the report page needs no script, font or
 * network access. Pure: a chart description in, SVG text out.
 */

export interface ChartSeries {
  name: string;
  color: string;
  /** One value per x; null leaves a gap. */
  values: Array<number | null>;
  dashed?: boolean;
  /** Leave out of the legend (a companion line, e.g. the p50 under a p95). */
  unlisted?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: ChartSeries[];
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A round step (1, 2 or 5 times a power of ten) giving about `target` intervals up to `max`. */
export function niceStep(max: number, target = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

const fmt = (n: number): string =>
  Math.abs(n) >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(Math.round(n * 100) / 100);

export function renderLineChart(chart: LineChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 260;
  const margin = { top: 28, right: 16, bottom: 56, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xMin = chart.x[0] ?? 0;
  const xMax = Math.max(xMin + 1, chart.x[chart.x.length - 1] ?? 1);
  let yMaxData = 0;
  for (const s of chart.series)
    for (const v of s.values) if (v !== null) yMaxData = Math.max(yMaxData, v);
  const yStep = niceStep(yMaxData);
  const yMax = Math.max(yStep, Math.ceil(yMaxData / yStep) * yStep);
  const xStep = niceStep(xMax - xMin, 8);
  const px = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number) => margin.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<text x="${margin.left}" y="18" class="title">${escapeXml(chart.title)}</text>`,
  );
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    const yy = py(y).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${yy}" y2="${yy}" class="grid"/>`,
      `<text x="${margin.left - 6}" y="${yy}" class="tick" text-anchor="end" dominant-baseline="middle">${fmt(y)}</text>`,
    );
  }
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax; x += xStep) {
    const xx = px(x).toFixed(1);
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" class="axis"/>`,
      `<text x="${xx}" y="${margin.top + plotH + 16}" class="tick" text-anchor="middle">${fmt(x)}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" class="axis"/>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" class="axis"/>`,
    `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 32}" class="label" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text x="14" y="${margin.top + plotH / 2}" class="label" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotH / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  for (const s of chart.series) {
    for (const run of runsOf(chart.x, s.values)) {
      const points = run.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
      const dash = s.dashed ? ' stroke-dasharray="5 4"' : "";
      const [first] = run;
      parts.push(
        run.length === 1 && first
          ? `<circle cx="${px(first[0]).toFixed(1)}" cy="${py(first[1]).toFixed(1)}" r="2" fill="${s.color}"/>`
          : `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}/>`,
      );
    }
  }
  let legendX = margin.left;
  const legendY = height - 10;
  for (const s of chart.series) {
    if (s.unlisted) continue;
    parts.push(
      `<rect x="${legendX}" y="${legendY - 9}" width="12" height="4" fill="${s.color}"/>`,
      `<text x="${legendX + 16}" y="${legendY - 4}" class="legend" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
    legendX += 24 + s.name.length * 7;
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** Consecutive non-null points, so gaps stay gaps. */
function runsOf(x: number[], values: Array<number | null>): Array<Array<[number, number]>> {
  const runs: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const v = values[i];
    if (v === null || v === undefined || xi === undefined) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push([xi, v]);
  }
  if (current.length) runs.push(current);
  return runs;
}
