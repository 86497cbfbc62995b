import { factText, type MatchFact } from "./match-facts.js";
import { nextAvailable, type Availability } from "./working-time.js";
import { GENERAL_TOPIC } from "../content/vocabulary.js";

/** A professional as matching sees them, with their current number of open cases. */
export type Candidate = {
  id: string;
  name: string;
  topics: readonly string[];
  languages: readonly string[];
  neighbourhoods: readonly string[];
  availability: Availability;
  maxOpenCases: number;
  openCases: number;
  lastAssignedAt: Date | null;
};

export type MatchRequest = { topic: string; language: string; neighbourhood: string | null; now: Date; exclude?: readonly string[] };

/** The chosen professional, whether they speak the resident's language, and why: as facts (stored with the handoff) and as developer text. */
export type Match = { candidate: Candidate; languageMatch: boolean; reason: string; facts: MatchFact };


/**
 * Picks a professional for a resident: the topic (a specialist before a generalist), then the
 * resident's language, their neighbourhood, who is available within a day, and who has room; among
 * equals the one assigned least recently, so work rotates fairly. Pure: the same input, the same choice.
 */
export function matchProfessional(candidates: readonly Candidate[], req: MatchRequest): Match | undefined {
  const scored = candidates
    .filter((c) => !req.exclude?.includes(c.id))
    .filter((c) => c.topics.includes(req.topic) || c.topics.includes(GENERAL_TOPIC))
    .map((c) => {
      const specialist = c.topics.includes(req.topic);
      const speaks = c.languages.includes(req.language);
      const local = req.neighbourhood !== null && c.neighbourhoods.includes(req.neighbourhood);
      const next = nextAvailable(c.availability, req.now);
      const soon = next !== undefined && next.getTime() - req.now.getTime() <= 24 * 3_600_000;
      const room = c.openCases < c.maxOpenCases;
      const score = (room ? 1000 : 0) + (speaks ? 100 : 0) + (specialist ? 20 : 0) + (local ? 10 : 0) + (soon ? 5 : 0);
      return { c, score, speaks, specialist, local, soon, room, load: c.openCases / Math.max(1, c.maxOpenCases) };
    })
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.load - b.load ||
        (a.c.lastAssignedAt?.getTime() ?? 0) - (b.c.lastAssignedAt?.getTime() ?? 0) ||
        a.c.id.localeCompare(b.c.id),
    );
  const best = scored[0];
  if (!best) return undefined;
  const ties = scored.filter((s) => s.score === best.score && s.load === best.load).length;
  const facts: MatchFact = {
    kind: "match",
    topic: req.topic,
    specialist: best.specialist,
    language: req.language,
    speaks: best.speaks,
    neighbourhood: req.neighbourhood,
    local: best.local,
    soon: best.soon,
    openCases: best.c.openCases,
    maxOpenCases: best.c.maxOpenCases,
    room: best.room,
    ties,
  };
  return { candidate: best.c, languageMatch: best.speaks, reason: factText(facts), facts };
}
