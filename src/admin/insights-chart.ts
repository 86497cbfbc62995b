import type { Shown } from "../insights/suppression.js";
import { html, type SafeHtml } from "./html.js";

/** One bar of a weekly chart: its label (a date) and its figure, suppressed or not. */
export type ChartPoint = { label: string; figure: Shown };

/**
 * A weekly bar chart as server-rendered SVG: no script, no build step, prints as it shows. `role="img"` with a
 * `<title>` names it for screen readers, which read the figures from the data table the page puts beside it.
 * A suppressed week is a low hatched bar marked "< k" (or "hidden"), never a height that gives its value away.
 * Width follows the page (viewBox), so it fits a phone.
 */
export function weeklyChart(opts: { id: string; title: string; points: readonly ChartPoint[]; k: number; hiddenWord: string }): SafeHtml {
  const { id, title, points, k } = opts;
  const W = 320;
  const H = 160;
  const left = 28;
  const bottom = 22;
  const top = 10;
  const values = points.map((p) => (p.figure.kind === "value" ? p.figure.value : 0));
  const max = Math.max(k, ...values);
  const step = points.length > 0 ? (W - left - 4) / points.length : 0;
  const barW = Math.max(2, step * 0.7);
  const y = (v: number) => H - bottom - ((H - bottom - top) * v) / max;
  const bars = points.map((p, i) => {
    const x = left + i * step + (step - barW) / 2;
    if (p.figure.kind === "value") {
      const v = p.figure.value;
      return html`<rect class="bar" x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(H - bottom - y(v)).toFixed(1)}"></rect>`;
    }
    return html`<rect class="bar suppressed" x="${x.toFixed(1)}" y="${y(k / 2).toFixed(1)}" width="${barW.toFixed(1)}" height="${(H - bottom - y(k / 2)).toFixed(1)}" fill="url(#${id}-hatch)"></rect>`;
  });
  const every = Math.max(1, Math.ceil(points.length / 6));
  const labels = points.map((p, i) =>
    i % every === 0 ? html`<text x="${(left + i * step + step / 2).toFixed(1)}" y="${H - 6}" text-anchor="middle" class="axis">${p.label.slice(5)}</text>` : "",
  );
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title" preserveAspectRatio="xMidYMid meet">
<title id="${id}-title">${title}</title>
<defs><pattern id="${id}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="4" class="hatch"></rect></pattern></defs>
<line x1="${left}" y1="${H - bottom}" x2="${W}" y2="${H - bottom}" class="axis-line"></line>
<line x1="${left}" y1="${y(k).toFixed(1)}" x2="${W}" y2="${y(k).toFixed(1)}" class="k-line"></line>
<text x="${left - 4}" y="${(y(k) + 4).toFixed(1)}" text-anchor="end" class="axis">${k}</text>
<text x="${left - 4}" y="${(y(max) + 8).toFixed(1)}" text-anchor="end" class="axis">${max === k ? "" : max}</text>
${bars}${labels}</svg>`;
}
