/**
 * Widths of text in DejaVu Sans (the card's font), to wrap and shorten titles before the SVG
 * is rendered (SVG 1.1 text does not wrap). Advances of ASCII 32-126 in 1/1000 em, read from
 * DejaVuSans.ttf and DejaVuSans-Bold.ttf (hmtx via cmap); other characters get an estimate
 * (wide for CJK and emoji), so the wrap keeps a margin. Pure.
 */

// biome-ignore format: a table
const regular = [318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838];
// biome-ignore format: a table
const bold = [348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838];

export type Weight = "regular" | "bold";

function advance(codePoint: number, weight: Weight): number {
  const table = weight === "bold" ? bold : regular;
  if (codePoint >= 32 && codePoint <= 126) return table[codePoint - 32] ?? 700;
  // CJK, full-width forms, emoji and other pictographs take about a full em.
  if (codePoint >= 0x2e80) return 1000;
  return weight === "bold" ? 720 : 660;
}

/** Width in pixels of `text` at `size` px. */
export function textWidth(text: string, size: number, weight: Weight): number {
  let units = 0;
  for (const ch of text) units += advance(ch.codePointAt(0) ?? 0, weight);
  return (units * size) / 1000;
}

/**
 * Greedy word wrap into at most `maxLines` lines of at most `maxWidth` px; a word longer than
 * a line is broken; text that does not fit ends the last line with "…".
 */
export function wrapText(
  text: string,
  options: { size: number; weight: Weight; maxWidth: number; maxLines: number },
): { lines: string[]; cut: boolean } {
  const { size, weight, maxWidth, maxLines } = options;
  const fits = (s: string) => textWidth(s, size, weight) <= maxWidth;
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  let i = 0;
  while (i < words.length && lines.length < maxLines) {
    const word = words[i] as string;
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      i++;
      continue;
    }
    if (line) {
      lines.push(line);
      line = "";
      continue;
    }
    // One word wider than a line: break it where it stops fitting.
    const chars = [...word];
    let n = 1;
    while (n < chars.length && fits(chars.slice(0, n + 1).join(""))) n++;
    lines.push(chars.slice(0, n).join(""));
    words[i] = chars.slice(n).join("");
  }
  if (line && lines.length < maxLines) lines.push(line);
  const cut = i < words.length;
  if (cut && lines.length > 0) {
    const last = lines.length - 1;
    lines[last] = ellipsize(lines[last] as string, fits);
  }
  return { lines, cut };
}

/** `line` shortened until it fits with a trailing "…". */
function ellipsize(line: string, fits: (s: string) => boolean): string {
  const chars = [...line];
  while (chars.length > 0 && !fits(`${chars.join("").trimEnd()}…`)) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}
