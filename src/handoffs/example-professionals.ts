import { LANGUAGES } from "../content/vocabulary.js";
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
  tr: { intro: string; walkIn?: string };
  ar: { intro: string; walkIn?: string };
  pl: { intro: string; walkIn?: string };
  uk: { intro: string; walkIn?: string };
};

/** EXAMPLE people for trying Naast out: invented names, real kinds of work. Replace before going live. */
const EXAMPLES: Example[] = [
  { name: "Fatima", organisation: "IMW Tilburg", topics: ["relationships", "money", "general"], languages: ["nl", "ar", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4], from: "09:00", to: "17:00", max: 8, backup: "Anouk",
    nl: { intro: "Fatima is maatschappelijk werker. Ze helpt bij zorgen thuis, in je relatie en met geld. Gratis en vertrouwelijk.", walkIn: "Dinsdag 10:00–12:00, buurthuis Korvel" },
    en: { intro: "Fatima is a social worker. She helps with worries at home, in your relationship and with money. Free and confidential.", walkIn: "Tuesday 10:00–12:00, Korvel community centre" },
    tr: { intro: "Fatima sosyal hizmet uzmanıdır. Evde, ilişkinizde ya da parayla ilgili dertlerinizde size yardım eder. Ücretsizdir ve gizli kalır.", walkIn: "Salı 10:00–12:00, Korvel mahalle evi (buurthuis)" },
    ar: { intro: "تعمل Fatima أخصائية اجتماعية. تساعدك في هموم البيت، وفي علاقتك، وفي أمور المال. الخدمة مجانية وسرية.", walkIn: "الثلاثاء 10:00–12:00، مركز الحي (buurthuis) في Korvel" },
    pl: { intro: "Fatima jest pracowniczką socjalną. Pomaga, gdy masz zmartwienia w domu, w związku albo z pieniędzmi. Za darmo i poufnie.", walkIn: "Wtorek 10:00–12:00, dom sąsiedzki (buurthuis) w Korvel" },
    uk: { intro: "Fatima — соціальна працівниця. Вона допомагає, коли в тебе турботи вдома, у стосунках чи з грошима. Безкоштовно й конфіденційно.", walkIn: "Вівторок 10:00–12:00, районний центр (buurthuis) у Korvel" } },
  { name: "Anouk", organisation: "IMW Tilburg", topics: ["relationships", "parenting", "general"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "09:00", to: "17:00", max: 8, backup: "Fatima",
    nl: { intro: "Anouk is maatschappelijk werker. Je kunt met haar praten over spanning thuis, opvoeden en wat je zwaar valt." },
    en: { intro: "Anouk is a social worker. You can talk to her about tension at home, parenting and whatever weighs on you." },
    tr: { intro: "Anouk sosyal hizmet uzmanıdır. Onunla evdeki gerginlik, çocuk yetiştirme ve sizi zorlayan her şey hakkında konuşabilirsiniz." },
    ar: { intro: "تعمل Anouk أخصائية اجتماعية. يمكنك التحدث معها عن التوتر في البيت، وعن تربية الأطفال، وعن كل ما يثقل عليك." },
    pl: { intro: "Anouk jest pracowniczką socjalną. Możesz z nią porozmawiać o napięciach w domu, o wychowaniu dzieci i o wszystkim, co ci ciąży." },
    uk: { intro: "Anouk — соціальна працівниця. Ти можеш поговорити з нею про напругу вдома, виховання дітей і про все, що тобі важко." } },
  { name: "Mehmet", organisation: "ContourdeTwern (wijkteam)", topics: ["money", "housing", "general"], languages: ["nl", "tr"], neighbourhoods: ["korvel"], days: [1, 3, 5], from: "09:00", to: "16:00", max: 10, backup: "Fatima",
    nl: { intro: "Mehmet werkt in het wijkteam. Hij helpt met rekeningen, schulden, toeslagen en problemen met je huis.", walkIn: "Woensdag 13:00–15:00, buurthuis Korvel" },
    en: { intro: "Mehmet works in the neighbourhood team. He helps with bills, debts, benefits and problems with your home.", walkIn: "Wednesday 13:00–15:00, Korvel community centre" },
    tr: { intro: "Mehmet mahalle ekibinde (wijkteam) çalışıyor. Faturalar, borçlar, devlet yardımları (toeslagen) ve evinizle ilgili sorunlarda size yardım eder.", walkIn: "Çarşamba 13:00–15:00, Korvel mahalle evi (buurthuis)" },
    ar: { intro: "يعمل Mehmet في فريق الحي (wijkteam). يساعدك في الفواتير، والديون، والإعانات (toeslagen)، ومشاكل بيتك.", walkIn: "الأربعاء 13:00–15:00، مركز الحي (buurthuis) في Korvel" },
    pl: { intro: "Mehmet pracuje w zespole dzielnicowym (wijkteam). Pomaga z rachunkami, długami, dodatkami (toeslagen) i problemami z mieszkaniem.", walkIn: "Środa 13:00–15:00, dom sąsiedzki (buurthuis) w Korvel" },
    uk: { intro: "Mehmet працює в районній команді (wijkteam). Він допомагає з рахунками, боргами, виплатами (toeslagen) і проблемами з житлом.", walkIn: "Середа 13:00–15:00, районний центр (buurthuis) у Korvel" } },
  { name: "Olena", organisation: "MEE", topics: ["care", "parenting", "general"], languages: ["nl", "uk", "pl", "en"], neighbourhoods: ["wandelbos-noord", "korvel"], days: [2, 3, 4], from: "09:00", to: "17:00", max: 8, backup: "Karin",
    nl: { intro: "Olena is cliëntondersteuner bij MEE. Ze denkt mee als zorgen, regelen of opvoeden veel van je vraagt." },
    en: { intro: "Olena is a client supporter at MEE. She helps you think things through when care, paperwork or parenting ask a lot of you." },
    tr: { intro: "Olena, MEE'de danışanlara destek olur. Bakım, evrak işleri ya da çocuk yetiştirme size ağır geldiğinde sizinle birlikte düşünür." },
    ar: { intro: "تعمل Olena في MEE، وتقدّم الدعم والإرشاد. تفكر معك في الحلول عندما تطلب منك الرعاية أو الأوراق أو تربية الأطفال جهداً كبيراً." },
    pl: { intro: "Olena wspiera klientów w MEE. Pomoże ci wszystko przemyśleć, gdy opieka, sprawy urzędowe albo wychowanie dzieci wymagają od ciebie dużo sił." },
    uk: { intro: "Olena підтримує клієнтів у MEE. Вона допоможе все обміркувати, коли догляд, папери чи виховання дітей забирають у тебе багато сил." } },
  { name: "Karin", organisation: "Mantelzorgondersteuning Tilburg", topics: ["care"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 4], from: "09:00", to: "16:00", max: 12, backup: "Olena",
    nl: { intro: "Karin ondersteunt mantelzorgers: even op adem komen, hulp regelen, je verhaal kwijt kunnen." },
    en: { intro: "Karin supports carers: a breather, arranging help, being able to tell your story." },
    tr: { intro: "Karin, bakım verenlere (mantelzorger) destek olur. Onunla biraz nefes alabilir, yardım ayarlayabilir ve içinizi dökebilirsiniz." },
    ar: { intro: "تدعم Karin مقدمي الرعاية (mantelzorgers): استراحة قصيرة، وترتيب المساعدة، وشخص يسمع قصتك." },
    pl: { intro: "Karin wspiera osoby, które opiekują się bliskimi (mantelzorgers). Pomaga złapać oddech i zorganizować pomoc. Możesz jej też po prostu wszystko opowiedzieć." },
    uk: { intro: "Karin підтримує тих, хто доглядає близьких (mantelzorgers). З нею ти можеш трохи перепочити, організувати допомогу й просто виговоритися." } },
  { name: "Sanne", organisation: "GGD Hart voor Brabant (jeugdgezondheidszorg)", topics: ["parenting", "health"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "08:30", to: "16:30", max: 10, backup: "Anouk",
    nl: { intro: "Sanne is jeugdverpleegkundige. Je kunt bij haar terecht met vragen over huilen, slapen, eten en opgroeien." },
    en: { intro: "Sanne is a youth nurse. You can ask her about crying, sleeping, eating and growing up." },
    tr: { intro: "Sanne çocuk sağlığı hemşiresidir. Ağlama, uyku, yemek ve büyüme hakkındaki sorularınızı ona sorabilirsiniz." },
    ar: { intro: "تعمل Sanne ممرضة لصحة الأطفال والشباب. يمكنك أن تسألها عن البكاء، والنوم، والأكل، والنمو." },
    pl: { intro: "Sanne jest pielęgniarką od zdrowia dzieci. Możesz ją zapytać o płacz, sen, jedzenie i dorastanie." },
    uk: { intro: "Sanne — дитяча медсестра. Ти можеш запитати її про плач, сон, їжу й ріст дитини." } },
  { name: "Jordy", organisation: "R-NEWT jongerenwerk", topics: ["youth", "general"], languages: ["nl", "en"], neighbourhoods: ["korvel", "wandelbos-noord"], days: [2, 3, 4, 5], from: "13:00", to: "21:00", max: 10,
    nl: { intro: "Jordy is jongerenwerker. Met hem kun je praten over school, thuis, vrienden of wat je dwarszit." },
    en: { intro: "Jordy is a youth worker. You can talk to him about school, home, friends or whatever bothers you." },
    tr: { intro: "Jordy gençlerle çalışır (jongerenwerker). Onunla okul, ev, arkadaşlar ya da aklınızı kurcalayan her şey hakkında konuşabilirsiniz." },
    ar: { intro: "يعمل Jordy مع الشباب في الحي. يمكنك التحدث معه عن المدرسة، والبيت، والأصدقاء، أو أي شيء يزعجك." },
    pl: { intro: "Jordy pracuje z młodzieżą. Możesz z nim pogadać o szkole, domu, przyjaciołach albo o tym, co cię gryzie." },
    uk: { intro: "Jordy працює з молоддю. З ним ти можеш поговорити про школу, дім, друзів або про те, що тебе турбує." } },
  { name: "Ilse", organisation: "Wijkverpleging Tilburg", topics: ["health", "care"], languages: ["nl"], neighbourhoods: ["wandelbos-noord"], days: [1, 2, 3, 4, 5], from: "08:00", to: "17:00", max: 12,
    nl: { intro: "Ilse is wijkverpleegkundige. Ze kijkt mee als zorg thuis te zwaar wordt, voor jou of voor wie je verzorgt." },
    en: { intro: "Ilse is a district nurse. She helps when care at home gets too heavy, for you or for the person you look after." },
    tr: { intro: "Ilse evde bakım hemşiresidir. Evdeki bakım ağır gelmeye başladığında yardım eder: sizin için ya da baktığınız kişi için." },
    ar: { intro: "تعمل Ilse ممرضة تزور البيوت في الحي. تساعد عندما تصبح الرعاية في البيت ثقيلة جداً، لك أو للشخص الذي في رعايتك." },
    pl: { intro: "Ilse jest pielęgniarką środowiskową. Pomaga, gdy opieka w domu staje się za trudna – dla ciebie albo dla osoby, którą się opiekujesz." },
    uk: { intro: "Ilse — патронажна медсестра. Вона допомагає, коли догляд удома стає надто важким — для тебе чи для людини, яку ти доглядаєш." } },
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
        texts: { create: LANGUAGES.map((language) => { const x = e[language]; return { language, intro: x.intro, walkIn: x.walkIn ?? null }; }) },
      },
    });
    ids.set(e.name, p.id);
  }
  for (const e of EXAMPLES) if (e.backup) await prisma.professional.update({ where: { id: ids.get(e.name)! }, data: { backupId: ids.get(e.backup)! } });
  return EXAMPLES.length;
}
