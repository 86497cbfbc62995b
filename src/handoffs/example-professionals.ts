import type { PrismaClient } from "../generated/prisma/client.js";

type Example = {
  name: string;
  organisation: string;
  topics: string[];
  languages: string[];
  neighbourhoods: string[];
  days: number[];
  from: string;
  to: string;
  max: number;
  backup?: string;
  nl: { intro: string; walkIn?: string };
  en: { intro: string; walkIn?: string };
};

/** EXAMPLE people for trying Naast out: invented names, real kinds of work. Replace before going live. */
const EXAMPLES: Example[] = [
  { name: "Fatima", organisation: "IMW Tilburg", topics: ["relationships", "money", "general"], languages: ["nl", "ar", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4], from: "09:00", to: "17:00", max: 8, backup: "Anouk",
    nl: { intro: "Fatima is maatschappelijk werker. Ze helpt bij zorgen thuis, in je relatie en met geld. Gratis en vertrouwelijk.", walkIn: "Dinsdag 10:00–12:00, buurthuis Korvel" },
    en: { intro: "Fatima is a social worker. She helps with worries at home, in your relationship and with money. Free and confidential.", walkIn: "Tuesday 10:00–12:00, Korvel community centre" } },
  { name: "Anouk", organisation: "IMW Tilburg", topics: ["relationships", "parenting", "general"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "09:00", to: "17:00", max: 8, backup: "Fatima",
    nl: { intro: "Anouk is maatschappelijk werker. Je kunt met haar praten over spanning thuis, opvoeden en wat je zwaar valt." },
    en: { intro: "Anouk is a social worker. You can talk to her about tension at home, parenting and whatever weighs on you." } },
  { name: "Mehmet", organisation: "ContourdeTwern (wijkteam)", topics: ["money", "housing", "general"], languages: ["nl", "tr"], neighbourhoods: ["korvel"], days: [1, 3, 5], from: "09:00", to: "16:00", max: 10, backup: "Fatima",
    nl: { intro: "Mehmet werkt in het wijkteam. Hij helpt met rekeningen, schulden, toeslagen en problemen met je huis.", walkIn: "Woensdag 13:00–15:00, buurthuis Korvel" },
    en: { intro: "Mehmet works in the neighbourhood team. He helps with bills, debts, benefits and problems with your home.", walkIn: "Wednesday 13:00–15:00, Korvel community centre" } },
  { name: "Olena", organisation: "MEE", topics: ["care", "parenting", "general"], languages: ["nl", "uk", "pl", "en"], neighbourhoods: ["wandelbos-noord", "korvel"], days: [2, 3, 4], from: "09:00", to: "17:00", max: 8, backup: "Karin",
    nl: { intro: "Olena is cliëntondersteuner bij MEE. Ze denkt mee als zorgen, regelen of opvoeden veel van je vraagt." },
    en: { intro: "Olena is a client supporter at MEE. She helps you think things through when care, paperwork or parenting ask a lot of you." } },
  { name: "Karin", organisation: "Mantelzorgondersteuning Tilburg", topics: ["care"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 4], from: "09:00", to: "16:00", max: 12, backup: "Olena",
    nl: { intro: "Karin ondersteunt mantelzorgers: even op adem komen, hulp regelen, je verhaal kwijt kunnen." },
    en: { intro: "Karin supports carers: a breather, arranging help, being able to tell your story." } },
  { name: "Sanne", organisation: "GGD Hart voor Brabant (jeugdgezondheidszorg)", topics: ["parenting", "health"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "08:30", to: "16:30", max: 10, backup: "Anouk",
    nl: { intro: "Sanne is jeugdverpleegkundige. Je kunt bij haar terecht met vragen over huilen, slapen, eten en opgroeien." },
    en: { intro: "Sanne is a youth nurse. You can ask her about crying, sleeping, eating and growing up." } },
  { name: "Jordy", organisation: "R-NEWT jongerenwerk", topics: ["youth", "general"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [2, 3, 4, 5], from: "13:00", to: "21:00", max: 10,
    nl: { intro: "Jordy is jongerenwerker. Met hem kun je praten over school, thuis, vrienden of wat je dwarszit." },
    en: { intro: "Jordy is a youth worker. You can talk to him about school, home, friends or whatever bothers you." } },
  { name: "Ilse", organisation: "Wijkverpleging Tilburg", topics: ["health", "care"], languages: ["nl"], neighbourhoods: ["wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "08:00", to: "17:00", max: 12,
    nl: { intro: "Ilse is wijkverpleegkundige. Ze kijkt mee als zorg thuis te zwaar wordt, voor jou of voor wie je verzorgt." },
    en: { intro: "Ilse is a district nurse. She helps when care at home gets too heavy, for you or for the person you look after." } },
];

/**
 * Seeds the example professionals once, into an empty table, with their organisations. They have no
 * panel account, so matching skips them until an admin links a real account (or replaces them).
 */
export async function seedExampleProfessionals(prisma: PrismaClient): Promise<number> {
  if ((await prisma.professional.count()) > 0) return 0;
  const ids = new Map<string, string>();
  for (const e of EXAMPLES) {
    const org = await prisma.organisation.upsert({ where: { name: e.organisation }, create: { name: e.organisation, kind: "welfare" }, update: {} });
    const p = await prisma.professional.create({
      data: {
        name: e.name,
        organisationId: org.id,
        topics: e.topics,
        languages: e.languages,
        neighbourhoods: e.neighbourhoods,
        availability: e.days.map((day) => ({ day, from: e.from, to: e.to })),
        maxOpenCases: e.max,
        example: true,
        texts: { create: [{ language: "nl", intro: e.nl.intro, walkIn: e.nl.walkIn ?? null }, { language: "en", intro: e.en.intro, walkIn: e.en.walkIn ?? null }] },
      },
    });
    ids.set(e.name, p.id);
  }
  for (const e of EXAMPLES) if (e.backup) await prisma.professional.update({ where: { id: ids.get(e.name)! }, data: { backupId: ids.get(e.backup)! } });
  return EXAMPLES.length;
}
