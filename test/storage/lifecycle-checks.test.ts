import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_STATUSES } from "../../src/activities/activity-lifecycle.js";
import { CHECK_IN_ANSWERS, HANDOFF_MODES, HANDOFF_OUTCOMES, HANDOFF_STAGES, HANDOFF_STATUSES } from "../../src/handoffs/handoff-lifecycle.js";
import { openTestDatabase } from "../support/test-database.js";

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let handoffId: string;
let activityId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  const p = db.prisma;
  const org = await p.organisation.create({ data: { name: "Buurtwerk", kind: "welfare" } });
  const resident = await p.resident.create({ data: { pseudonym: "checks-resident", channel: "telegram", addressEnc: "x" } });
  const pro = await p.professional.create({ data: { name: "Fatma", organisationId: org.id, topics: ["money"], languages: ["nl"], neighbourhoods: ["korvel"], availability: [] } });
  handoffId = (await p.handoff.create({ data: { residentId: resident.id, professionalId: pro.id, topic: "money", language: "nl", mode: "chat", summary: { topic: "money" }, matchReason: "test", acceptBy: new Date() } })).id;
  activityId = (await p.activity.create({ data: { organisationId: org.id, startsAt: new Date(), place: "Buurthuis", neighbourhood: "korvel", topic: "meeting", audience: "everyone" } })).id;
});
afterAll(async () => {
  await db.drop();
});

/** The values a CHECK constraint allows, as PostgreSQL reads it back. */
async function allowed(name: string): Promise<string[]> {
  const rows = await db.sql.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [name]);
  expect(rows).toHaveLength(1);
  return [...String(rows[0]!.def).matchAll(/'([^']*)'::text/g)].map((m) => m[1]!).sort();
}

describe("the database refuses statuses and stages the code does not know (CHECK constraints)", () => {
  it.each([
    ["handoff_status_check", HANDOFF_STATUSES],
    ["handoff_stage_check", HANDOFF_STAGES],
    ["handoff_outcome_check", HANDOFF_OUTCOMES],
    ["handoff_check_in_answer_check", CHECK_IN_ANSWERS],
    ["handoff_mode_check", HANDOFF_MODES],
    ["activity_status_check", ACTIVITY_STATUSES],
  ] as const)("%s allows exactly the zod enum's values", async (name, values) => {
    expect(await allowed(name)).toEqual([...values].sort());
  });

  it("refuses a handoff status, stage, outcome or answer outside the enums, and keeps the row as it was", async () => {
    for (const [column, value] of [["status", "archived"], ["stage", "later"], ["outcome", "solved"], ["check_in_answer", "maybe"], ["mode", "email"]] as const) {
      await expect(db.sql.query(`UPDATE handoff SET ${column} = $1 WHERE id = $2::uuid`, [value, handoffId])).rejects.toThrow(new RegExp(`handoff_${column}_check`));
    }
    await expect(db.prisma.handoff.update({ where: { id: handoffId }, data: { status: "archived" } })).rejects.toThrow();
    expect(await db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } })).toMatchObject({ status: "new", stage: "await_accept", outcome: null, checkInAnswer: null, mode: "chat" });
  });

  it("accepts every value the enums allow", async () => {
    for (const status of HANDOFF_STATUSES) await db.prisma.handoff.update({ where: { id: handoffId }, data: { status } });
    for (const stage of HANDOFF_STAGES) await db.prisma.handoff.update({ where: { id: handoffId }, data: { stage } });
    for (const outcome of HANDOFF_OUTCOMES) await db.prisma.handoff.update({ where: { id: handoffId }, data: { outcome } });
    for (const checkInAnswer of CHECK_IN_ANSWERS) await db.prisma.handoff.update({ where: { id: handoffId }, data: { checkInAnswer } });
    for (const status of ACTIVITY_STATUSES) await db.prisma.activity.update({ where: { id: activityId }, data: { status } });
  });

  it("refuses an activity status outside the enum", async () => {
    await expect(db.sql.query(`UPDATE activity SET status = 'published' WHERE id = $1::uuid`, [activityId])).rejects.toThrow(/activity_status_check/);
  });
});
