import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@userstream/test-support";
import { resultsDir } from "./results";

export interface BarGroup {
  /** What the group measures, e.g. "registrations/s". */
  label: string;
  bars: Array<{ name: string; value: number }>;
}

const COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"];

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/**
 * A plain horizontal bar chart, one panel per group with its own scale (throughput and latency
 * side by side), written as SVG to `docs/charts/<name>.svg` for docs/benchmarks.md. A smoke run
 * (`--smoke`, as `npm test` makes) writes it beside its results instead, so that only real runs
 * change the committed charts.
 */
export async function writeBarChart(name: string, title: string, groups: BarGroup[]): Promise<void> {
  const width = 760;
  const barHeight = 18;
  const labelWidth = 230;
  const plotWidth = width - labelWidth - 90;
  const parts: string[] = [];
  let y = 36;
  parts.push(`<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + 12}" font-size="13" font-weight="bold">${escape(group.label)}</text>`);
    y += 20;
    const max = Math.max(...group.bars.map((bar) => bar.value), 1e-9);
    group.bars.forEach((bar, i) => {
      const barWidth = Number.isFinite(bar.value) ? Math.max(1, (bar.value / max) * plotWidth) : 0;
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 13}" font-size="12" text-anchor="end">${escape(bar.name)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${barWidth.toFixed(1)}" height="${barHeight}" fill="${COLOURS[i % COLOURS.length]}"/>`,
        `<text x="${(labelWidth + barWidth + 6).toFixed(1)}" y="${y + 13}" font-size="12">${escape(String(bar.value))}</text>`,
      );
      y += barHeight + 4;
    });
    y += 12;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${parts.join("\n")}
</svg>
`;
  const smoke = process.argv.includes("--smoke");
  const dir = smoke ? resultsDir : path.join(repoRoot, "docs", "charts");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.svg`), svg);
}
