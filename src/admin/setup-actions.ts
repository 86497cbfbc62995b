import { randomBytes } from "node:crypto";
import { z } from "zod";
import { HANDOFF_TOPICS, LANGUAGES, NEIGHBOURHOODS } from "../content/vocabulary.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { hashPassword } from "./password.js";
import { AuthError, roleSchema, type StaffAuth } from "./staff-auth.js";

/** What `npm run admin:invite` asks for; checked the same way on the command line and in the running server. */
export const inviteRequestSchema = z.object({
  email: z.email().max(200),
  name: z.string().trim().min(1).max(80),
  role: roleSchema.default("admin"),
  organisation: z.string().trim().min(1).max(120).optional(),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

/** Why an invitation could not be made, in words for the command line. */
export class SetupError extends Error {
  override name = "SetupError";
}

/**
 * Makes a one-time invitation and returns its token. A key figure needs an organisation (made if it does
 * not exist yet); a coordinator without one coordinates for the wijkregie (all organisations).
 */
export async function inviteStaff(prisma: PrismaClient, auth: StaffAuth, req: InviteRequest): Promise<string> {
  let organisationId: string | null = null;
  if (req.organisation) {
    const org = await prisma.organisation.upsert({ where: { name: req.organisation }, create: { name: req.organisation, kind: "other" }, update: {} });
    organisationId = org.id;
  } else if (req.role === "keyfigure") {
    throw new SetupError('a key figure belongs to an organisation: add --organisation "Name"');
  }
  try {
    return await auth.invite({ email: req.email, displayName: req.name, role: req.role, organisationId, createdById: null });
  } catch (err) {
    if (err instanceof AuthError && err.code === "account-exists") throw new SetupError(`${req.email} already has an account; an invitation never replaces one`);
    throw err;
  }
}

/** The demo's organisation: marked `demo`, its name says so too. */
export const DEMO_ORGANISATION = "Demo-wijkteam (DEMO)";
/** Demo accounts use the reserved `.invalid` domain: nothing can ever be mailed to them. */
const DEMO_DOMAIN = "naast-demo.invalid";

/** One demo account as the command prints it: sign in with this e-mail and password. */
export type DemoAccount = { role: "professional" | "keyfigure" | "coordinator"; name: string; email: string; password: string };
export type DemoResult = { organisation: string; accounts: DemoAccount[] };

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: "08:00", to: "22:00" }));

const DEMO_INTRO: Record<string, string> = {
  nl: "DEMO: Sam is een voorbeeld-professional om Naast mee uit te proberen. Niet echt: schrijf hier niets persoonlijks.",
  en: "DEMO: Sam is an example professional for trying Naast out. Not real: do not write anything personal here.",
  tr: "DEMO: Sam, Naast'ı denemek için örnek bir uzmandır. Gerçek değil: buraya kişisel bir şey yazmayın.",
  ar: "تجربة (DEMO): Sam مختص تجريبي لتجربة Naast. ليس حقيقياً: لا تكتب هنا أي شيء شخصي.",
  pl: "DEMO: Sam to przykładowy specjalista do wypróbowania Naast. Nie jest prawdziwy: nie pisz tu nic osobistego.",
  uk: "DEMO: Sam — приклад фахівця, щоб випробувати Naast. Не справжній: не пиши тут нічого особистого.",
};

/**
 * Seeds what a new user needs to walk the whole path on one machine: a demo organisation, a demo
 * professional linked to an account (so residents are matched to them: every topic, every language, both
 * neighbourhoods, every day 8–22), a demo key figure and a demo coordinator of that organisation. Each
 * account gets a fresh random password, printed once; running it again gives new passwords and changes
 * nothing else. Refused in production.
 */
export async function seedDemo(prisma: PrismaClient, production: boolean): Promise<DemoResult> {
  if (production) throw new SetupError("the demo is for trying Naast out and is refused in production (NODE_ENV=production)");
  const org = await prisma.organisation.upsert({
    where: { name: DEMO_ORGANISATION },
    create: { name: DEMO_ORGANISATION, kind: "welfare", demo: true, requiresApproval: true, acceptWorkingDays: 1 },
    update: { demo: true },
  });
  const accounts: DemoAccount[] = [];
  const people = [
    { role: "professional", name: "Sam (demo-professional)", local: "professional" },
    { role: "keyfigure", name: "Noor (demo-sleutelfiguur)", local: "sleutelfiguur" },
    { role: "coordinator", name: "Kim (demo-coördinator)", local: "coordinator" },
  ] as const;
  for (const p of people) {
    const email = `${p.local}@${DEMO_DOMAIN}`;
    const password = `demo-${randomBytes(9).toString("base64url")}`;
    const passwordHash = await hashPassword(password);
    const existing = await prisma.staffUser.findUnique({ where: { email } });
    if (existing && existing.organisationId !== org.id) throw new SetupError(`${email} exists outside the demo organisation; not touched`);
    await prisma.staffUser.upsert({
      where: { email },
      create: { email, displayName: p.name, role: p.role, organisationId: org.id, passwordHash },
      update: { passwordHash, disabledAt: null },
    });
    accounts.push({ role: p.role, name: p.name, email, password });
  }
  const user = await prisma.staffUser.findUniqueOrThrow({ where: { email: `professional@${DEMO_DOMAIN}` } });
  const existing = await prisma.professional.findUnique({ where: { staffUserId: user.id } });
  const data = {
    name: "Sam",
    organisationId: org.id,
    staffUserId: user.id,
    topics: [...HANDOFF_TOPICS],
    languages: [...LANGUAGES],
    neighbourhoods: [...NEIGHBOURHOODS],
    availability: everyDay,
    maxOpenCases: 50,
    active: true,
    example: false,
  };
  const pro = existing ? await prisma.professional.update({ where: { id: existing.id }, data }) : await prisma.professional.create({ data });
  await prisma.professionalText.deleteMany({ where: { professionalId: pro.id } });
  await prisma.professionalText.createMany({
    data: Object.entries(DEMO_INTRO).map(([language, intro]) => ({ professionalId: pro.id, language, intro, walkIn: language === "nl" ? "DEMO: elke werkdag 10:00–12:00, buurthuis (voorbeeld)" : null })),
  });
  return { organisation: org.name, accounts };
}
