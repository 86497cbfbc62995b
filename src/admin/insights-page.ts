import { csvField } from "./audit-log.js";
import { html, type SafeHtml } from "./html.js";
import { weeklyChart } from "./insights-chart.js";
import { INSIGHT_CHANNELS, INSIGHT_LANGUAGES, INSIGHT_NEIGHBOURHOODS } from "../insights/insight-metrics.js";
import type { InsightFilters, InsightReport, InsightTable, PopulationFigure } from "../insights/insight-report.js";
import { shownText, type Shown } from "../insights/suppression.js";

/** A panel text by key (`admin:<key>`), in the reader's panel language. */
export type PanelText = (key: string, params?: Record<string, string>) => string;

/** What the Insights page shows. */
export type InsightsPageModel = {
  report: InsightReport;
  /** The months the month filter offers (`YYYY-MM`), newest first. */
  monthChoices: string[];
  /** Admins may enter the population; the wijkregie reads it. */
  canEditPopulation: boolean;
};

/** A code (neighbourhood, language, channel, topic, option, metric) in words; the code itself if it has none. */
export function codeLabel(t: PanelText, kind: string, code: string): string {
  const key = `ins_${kind}_${code}`;
  const text = t(key);
  return text === key || text.endsWith(`:${key}`) ? code : text;
}

const kindOf = (d: InsightTable["rowKind"] | InsightTable["columnKind"]) => (d === "neighbourhood" ? "nbh" : d === "language" ? "lang" : d);

const figureText = (t: PanelText, k: number, s: Shown) => shownText(s, k, t("ins_hidden"));
const figureCell = (t: PanelText, k: number, s: Shown) =>
  s.kind === "value" ? html`<td class="num">${s.value}</td>` : html`<td class="num suppressed" title="${s.kind === "small" ? t("ins_small_title", { k: String(k) }) : t("ins_hidden_title")}">${figureText(t, k, s)}</td>`;
const percent = (share: number | undefined) => (share === undefined ? "—" : `${Math.round(share * 1000) / 10}%`);

/** The query string for a set of filters (links to the report and the CSV carry the same ones). */
export function filterQuery(f: InsightFilters): string {
  const q = new URLSearchParams({ month: f.month, months: String(f.months) });
  if (f.neighbourhood) q.set("neighbourhood", f.neighbourhood);
  if (f.language) q.set("language", f.language);
  if (f.channel) q.set("channel", f.channel);
  return q.toString();
}

function filtersForm(m: InsightsPageModel, t: PanelText): SafeHtml {
  const f = m.report.filters;
  const select = (name: string, label: string, options: readonly string[], kind: string, chosen: string | undefined) =>
    html`<label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="all">${t("ins_all")}</option>${options.map(
      (o) => html`<option value="${o}"${chosen === o ? html` selected` : ""}>${codeLabel(t, kind, o)}</option>`,
    )}</select>`;
  return html`<form method="get" action="/admin/insights" class="insight-filters no-print">
    <label for="f-month">${t("ins_month")}</label><select id="f-month" name="month">${m.monthChoices.map((o) => html`<option value="${o}"${f.month === o ? html` selected` : ""}>${o}</option>`)}</select>
    <label for="f-months">${t("ins_trend_span")}</label><select id="f-months" name="months">${([1, 3, 6, 12] as const).map((n) => html`<option value="${n}"${f.months === n ? html` selected` : ""}>${t("ins_months", { count: String(n) })}</option>`)}</select>
    ${select("neighbourhood", t("ins_neighbourhood"), INSIGHT_NEIGHBOURHOODS, "nbh", f.neighbourhood)}
    ${select("language", t("ins_language"), INSIGHT_LANGUAGES, "lang", f.language)}
    ${select("channel", t("ins_channel"), INSIGHT_CHANNELS, "channel", f.channel)}
    <button type="submit">${t("ins_apply")}</button></form>`;
}

/** One report table with a caption; its rows and columns worded. */
function table(t: PanelText, k: number, tb: InsightTable): SafeHtml {
  const colLabel = (c: string) => (tb.columnKind === "total" ? t("ins_total") : codeLabel(t, kindOf(tb.columnKind), c));
  const rowLabel = (r: string) => (r === "total" ? t("ins_total") : codeLabel(t, kindOf(tb.rowKind), r));
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t(`ins_table_${tb.id}`)}"><table class="insights" data-table="${tb.id}"><caption>${t(`ins_table_${tb.id}`)}${
    tb.ignores.length > 0 ? html`<br><small>${t("ins_not_split", { by: tb.ignores.map((d) => t(`ins_${d}`)).join(", ") })}</small>` : ""
  }</caption>
  <thead><tr><th scope="col">${t(`ins_rows_${tb.rowKind}`)}</th>${tb.columns.map((c) => html`<th scope="col">${colLabel(c)}</th>`)}</tr></thead>
  <tbody>${tb.rows.map((r) => html`<tr${r.code === "total" ? html` class="total"` : ""}><th scope="row">${rowLabel(r.code)}</th>${r.cells.map((c) => figureCell(t, k, c))}</tr>`)}</tbody></table></div>`;
}

/** "Promises kept": accepted within the promised time, escalations, consented requests. */
function promises(t: PanelText, r: InsightReport): SafeHtml {
  const p = r.promises;
  return html`<section aria-labelledby="promises-h"><h2 id="promises-h">${t("ins_promises")}</h2>
  <dl class="facts promises">
    <dt>${t("ins_in_time_share")}</dt><dd data-figure="share-in-time">${percent(p.share)}${p.share === undefined ? html` <small>${t("ins_share_suppressed")}</small>` : ""}</dd>
    <dt>${t("ins_metric_handoff_consented")}</dt><dd>${figureText(t, r.k, p.consented)}</dd>
    <dt>${t("ins_accepted_in_time")}</dt><dd>${figureText(t, r.k, p.acceptedInTime)}</dd>
    <dt>${t("ins_metric_handoff_accepted")}</dt><dd>${figureText(t, r.k, p.accepted)}</dd>
    <dt>${t("ins_metric_handoff_escalated")}</dt><dd>${figureText(t, r.k, p.escalated)}</dd>
  </dl></section>`;
}

function reach(t: PanelText, r: InsightReport): SafeHtml {
  return html`<section aria-labelledby="reach-h"><h2 id="reach-h">${t("ins_reach")}</h2><p>${t("ins_reach_intro")}</p>
  ${
    r.reach.length === 0
      ? html`<p>${t("ins_reach_none")}</p>`
      : html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("ins_reach_caption", { month: r.filters.month })}"><table class="insights" data-table="reach"><caption>${t("ins_reach_caption", { month: r.filters.month })}</caption>
  <thead><tr><th scope="col">${t("ins_rows_group")}</th><th scope="col">${t("ins_reached")}</th><th scope="col">${t("ins_population")}</th><th scope="col">${t("ins_share")}</th></tr></thead>
  <tbody>${r.reach.map(
    (x) => html`<tr><th scope="row">${codeLabel(t, "nbh", x.neighbourhood)} · ${x.language === "all" ? t("ins_all_languages") : codeLabel(t, "lang", x.language)}</th>${figureCell(t, r.k, x.reached)}
      <td class="num">${x.population ? html`${x.population.count}<br><small>${x.population.source}, ${x.population.asOf}</small>` : "—"}</td><td class="num">${percent(x.share)}</td></tr>`,
  )}</tbody></table></div>`
  }</section>`;
}

function trends(t: PanelText, r: InsightReport): SafeHtml {
  return html`<section aria-labelledby="trends-h"><h2 id="trends-h">${t("ins_trends")}</h2>${r.trends.length === 0 ? html`<p class="notice">${t("ins_trends_one_filter")}</p>` : ""}${r.trends.map((tr) => {
    const title = t(`ins_metric_${tr.metric}`);
    return html`<figure class="trend" data-metric="${tr.metric}"><figcaption>${title}</figcaption>
      <div class="trend-body">${weeklyChart({ id: `chart-${tr.metric}`, title: t("ins_chart_title", { metric: title }), points: tr.points.map((p) => ({ label: p.week, figure: p.figure })), k: r.k, hiddenWord: t("ins_hidden") })}
      <div class="table-wrap" role="region" tabindex="0" aria-label="${t("ins_chart_table", { metric: title })}"><table class="insights compact"><caption class="visually-hidden">${t("ins_chart_table", { metric: title })}</caption>
        <thead><tr><th scope="col">${t("ins_week_of")}</th><th scope="col">${t("ins_count")}</th></tr></thead>
        <tbody>${tr.points.map((p) => html`<tr><th scope="row">${p.week}</th>${figureCell(t, r.k, p.figure)}</tr>`)}</tbody></table></div></div></figure>`;
  })}</section>`;
}

function privacyNote(t: PanelText, k: number): SafeHtml {
  return html`<p class="notice">${t("ins_privacy", { k: String(k) })}</p>`;
}

/** The Insights page's body: filters, links to the report and CSV, weekly charts, the month's tables. */
export function insightsPage(m: InsightsPageModel, t: PanelText): SafeHtml {
  const r = m.report;
  const q = filterQuery(r.filters);
  return html`${privacyNote(t, r.k)}${filtersForm(m, t)}
  <p class="no-print"><a href="/admin/insights/report?${q}">${t("ins_report_link")}</a> · <a href="/admin/insights/report.csv?${q}">${t("ins_csv_link")}</a>${
    m.canEditPopulation ? html` · <a href="/admin/insights/population">${t("ins_population_link")}</a>` : ""
  }</p>
  ${trends(t, r)}${promises(t, r)}${reach(t, r)}
  <section aria-labelledby="month-h"><h2 id="month-h">${t("ins_month_tables", { month: r.filters.month })}</h2>${r.tables.map((tb) => table(t, r.k, tb))}</section>`;
}

/** The printable monthly report for the intervision meeting: the same figures, no filters form, print CSS. */
export function insightsReportPage(r: InsightReport, t: PanelText, generatedAt: string): SafeHtml {
  const f = r.filters;
  const chosen = [f.neighbourhood ? codeLabel(t, "nbh", f.neighbourhood) : "", f.language ? codeLabel(t, "lang", f.language) : "", f.channel ? codeLabel(t, "channel", f.channel) : ""].filter(Boolean);
  return html`<div class="report">
  <p>${t("ins_report_for", { month: f.month })}${chosen.length ? ` · ${chosen.join(" · ")}` : ""} · ${t("ins_generated", { at: generatedAt })}</p>
  ${privacyNote(t, r.k)}
  <p class="no-print"><a href="/admin/insights?${filterQuery(f)}">${t("ins_back")}</a> · <a href="/admin/insights/report.csv?${filterQuery(f)}">${t("ins_csv_link")}</a> · ${t("ins_print_hint")}</p>
  ${promises(t, r)}${reach(t, r)}${r.tables.map((tb) => table(t, r.k, tb))}
  <section aria-labelledby="questions-h"><h2 id="questions-h">${t("ins_questions")}</h2><ul><li>${t("ins_question_reach")}</li><li>${t("ins_question_promises")}</li><li>${t("ins_question_next")}</li></ul></section>
  </div>`;
}

/** The same suppressed figures as CSV: one line per figure, codes not words, formula-safe. */
export function insightsCsv(r: InsightReport, hiddenWord: string): string {
  const lines = [["month", "table", "row", "column", "figure"].map(csvField).join(",")];
  const add = (table: string, row: string, column: string, s: Shown | string) =>
    lines.push([r.filters.month, table, row, column, typeof s === "string" ? s : shownText(s, r.k, hiddenWord)].map(csvField).join(","));
  const f = r.filters;
  add("filters", "neighbourhood", "", f.neighbourhood ?? "all");
  add("filters", "language", "", f.language ?? "all");
  add("filters", "channel", "", f.channel ?? "all");
  add("promises", "handoff_accepted_in_time", "total", r.promises.acceptedInTime);
  add("promises", "handoff_accepted", "total", r.promises.accepted);
  add("promises", "share_in_time", "", r.promises.share === undefined ? "" : (Math.round(r.promises.share * 1000) / 1000).toFixed(3));
  add("promises", "handoff_escalated", "total", r.promises.escalated);
  for (const tb of r.tables) for (const row of tb.rows) row.cells.forEach((c, i) => add(tb.id, row.code, tb.columns[i]!, c));
  for (const x of r.reach) {
    add("reach", `${x.neighbourhood}|${x.language}`, "reached", x.reached);
    add("reach", `${x.neighbourhood}|${x.language}`, "population", x.population ? String(x.population.count) : "");
    add("reach", `${x.neighbourhood}|${x.language}`, "source", x.population ? `${x.population.source} (${x.population.asOf})` : "");
  }
  for (const tr of r.trends) for (const p of tr.points) add(`trend-${tr.metric}`, p.week, "total", p.figure);
  return `${lines.join("\r\n")}\r\n`;
}

/** The admins' form for the population per neighbourhood and language group, with source and date. */
export function populationPage(m: { rows: PopulationFigure[]; csrf: SafeHtml; error?: string; saved: SafeHtml | "" }, t: PanelText): SafeHtml {
  const nbhs = INSIGHT_NEIGHBOURHOODS.filter((n) => n !== "unknown" && n !== "elsewhere" && n !== "both");
  const groups = [...INSIGHT_LANGUAGES.filter((l) => l !== "unknown"), "all"];
  return html`${m.saved}${m.error ? html`<p role="alert" class="error">${m.error}</p>` : ""}<p>${t("ins_population_intro")}</p>
  <div class="table-wrap" role="region" tabindex="0" aria-label="${t("ins_population_caption")}"><table class="insights"><caption>${t("ins_population_caption")}</caption>
  <thead><tr><th scope="col">${t("ins_rows_group")}</th><th scope="col">${t("ins_population")}</th><th scope="col">${t("ins_source")}</th></tr></thead>
  <tbody>${m.rows.length === 0 ? html`<tr><td colspan="3">${t("ins_population_none")}</td></tr>` : m.rows.map((p) => html`<tr><th scope="row">${codeLabel(t, "nbh", p.neighbourhood)} · ${p.language === "all" ? t("ins_all_languages") : codeLabel(t, "lang", p.language)}</th><td class="num">${p.count}</td><td>${p.source}, ${p.asOf}</td></tr>`)}</tbody></table></div>
  <form method="post" action="/admin/insights/population">${m.csrf}
    <label for="p-nbh">${t("ins_neighbourhood")}</label><select id="p-nbh" name="neighbourhood">${nbhs.map((n) => html`<option value="${n}">${codeLabel(t, "nbh", n)}</option>`)}</select>
    <label for="p-lang">${t("ins_language_group")}</label><select id="p-lang" name="language">${groups.map((l) => html`<option value="${l}">${l === "all" ? t("ins_all_languages") : codeLabel(t, "lang", l)}</option>`)}</select>
    <label for="p-count">${t("ins_population")}</label><input id="p-count" name="count" type="number" min="0" max="1000000" required inputmode="numeric">
    <label for="p-source">${t("ins_source")}</label><input id="p-source" name="source" maxlength="200" required placeholder="CBS Kerncijfers wijken en buurten 2024">
    <label for="p-asof">${t("ins_as_of")}</label><input id="p-asof" name="asOf" type="date" required>
    <button type="submit">${t("ins_population_save")}</button></form>`;
}
