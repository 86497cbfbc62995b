import { handoffFactsSchema, type HandoffFact, type MatchFact } from "../handoffs/match-facts.js";
import type { PanelText } from "./pages/page-parts.js";

/** Language codes as the panel names them ("Dutch, Arabic"); an unknown code stays as it is. */
export function languageNames(t: PanelText, codes: readonly string[]): string {
  return codes.map((c) => (/^[a-z]{2}$/.test(c) ? t(`lang_${c}`) : c)).join(", ");
}

function matchLines(t: PanelText, f: MatchFact): string[] {
  const topic = t(`ho_topic_${f.topic}`);
  const language = t(`lang_${f.language}`);
  const area = f.neighbourhood ? t(`neighbourhood_${f.neighbourhood}`) : "";
  return [
    t(f.specialist ? "match_specialist" : "match_generalist", { topic }),
    t(f.speaks ? "match_speaks" : "match_not_speaks", { language }),
    f.neighbourhood ? t(f.local ? "match_local" : "match_not_local", { area }) : t("match_area_unknown"),
    t(f.soon ? "match_soon" : "match_not_soon"),
    t(f.room ? "match_load" : "match_load_full", { open: String(f.openCases), max: String(f.maxOpenCases) }),
    f.ties > 1 ? t("match_ties", { count: String(f.ties) }) : t("match_best"),
  ];
}

/** One fact in plain words: the match, or a move (escalation, reassignment) with its own match if any. */
function factLines(t: PanelText, f: HandoffFact): { title: string; lines: string[] } {
  switch (f.kind) {
    case "match":
      return { title: t("match_title"), lines: matchLines(t, f) };
    case "escalated-backup":
      return { title: t("move_escalated_backup", { from: f.from }), lines: [] };
    case "escalated-match":
      return { title: t("move_escalated_match", { from: f.from }), lines: matchLines(t, f.match) };
    case "reassigned":
      return { title: t(`move_reassigned_${f.by}`, { from: f.from }), lines: [] };
  }
}

/**
 * Why a case is with this professional, in the panel's language: the stored facts, or for a case from
 * before they were stored, the old developer text marked as such. Never English code words in Dutch.
 */
export function whyThisProfessional(t: PanelText, stored: unknown, legacy: string): { title: string; lines: string[] }[] {
  const facts = handoffFactsSchema.safeParse(stored);
  if (facts.success && facts.data.length > 0) return facts.data.map((f) => factLines(t, f));
  return [{ title: t("match_legacy"), lines: legacy ? [legacy] : [] }];
}
