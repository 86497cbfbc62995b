import type { Request } from "express";
import { handoffFactsSchema, type HandoffFact, type MatchFact } from "../handoffs/match-facts.js";

/** A panel text in the request's language (the kit's `tr`). */
type Tr = (req: Request, key: string, params?: Record<string, string>) => string;

/** Language codes as the panel names them ("Dutch, Arabic"); an unknown code stays as it is. */
export function languageNames(tr: Tr, req: Request, codes: readonly string[]): string {
  return codes.map((c) => (/^[a-z]{2}$/.test(c) ? tr(req, `lang_${c}`) : c)).join(", ");
}

function matchLines(tr: Tr, req: Request, f: MatchFact): string[] {
  const topic = tr(req, `ho_topic_${f.topic}`);
  const language = tr(req, `lang_${f.language}`);
  const area = f.neighbourhood ? tr(req, `neighbourhood_${f.neighbourhood}`) : "";
  return [
    tr(req, f.specialist ? "match_specialist" : "match_generalist", { topic }),
    tr(req, f.speaks ? "match_speaks" : "match_not_speaks", { language }),
    f.neighbourhood ? tr(req, f.local ? "match_local" : "match_not_local", { area }) : tr(req, "match_area_unknown"),
    tr(req, f.soon ? "match_soon" : "match_not_soon"),
    tr(req, f.room ? "match_load" : "match_load_full", { open: String(f.openCases), max: String(f.maxOpenCases) }),
    f.ties > 1 ? tr(req, "match_ties", { count: String(f.ties) }) : tr(req, "match_best"),
  ];
}

/** One fact in plain words: the match, or a move (escalation, reassignment) with its own match if any. */
function factLines(tr: Tr, req: Request, f: HandoffFact): { title: string; lines: string[] } {
  switch (f.kind) {
    case "match":
      return { title: tr(req, "match_title"), lines: matchLines(tr, req, f) };
    case "escalated-backup":
      return { title: tr(req, "move_escalated_backup", { from: f.from }), lines: [] };
    case "escalated-match":
      return { title: tr(req, "move_escalated_match", { from: f.from }), lines: matchLines(tr, req, f.match) };
    case "reassigned":
      return { title: tr(req, `move_reassigned_${f.by}`, { from: f.from }), lines: [] };
  }
}

/**
 * Why a case is with this professional, in the panel's language: the stored facts, or for a case from
 * before they were stored, the old developer text marked as such. Never English code words in Dutch.
 */
export function whyThisProfessional(tr: Tr, req: Request, stored: unknown, legacy: string): { title: string; lines: string[] }[] {
  const facts = handoffFactsSchema.safeParse(stored);
  if (facts.success && facts.data.length > 0) return facts.data.map((f) => factLines(tr, req, f));
  return [{ title: tr(req, "match_legacy"), lines: legacy ? [legacy] : [] }];
}
