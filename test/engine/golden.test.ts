import { describe, expect, it } from "vitest";
import type { RenderedMessage } from "../../src/channels/rendered-message.js";
import { sharedContent } from "../support/content.js";
import { renderEvents } from "../../src/conversation/render-events.js";
import { FlowEngine, SAFETY_PAYLOAD, type EngineInput } from "../../src/engine/engine.js";
import type { EngineEvent } from "../../src/engine/events.js";
import { newSessionState, type SessionState } from "../../src/engine/session-state.js";

/**
 * Golden transcripts: scripted conversations through the real flows, engine and renderer, written
 * as readable text to test/golden/<name>.txt. Review a diff there as you would a screenplay.
 */
const content = await sharedContent();
const engine = new FlowEngine(content.engine);
const CLOCK = new Date("2026-11-01T10:00:00Z");

/** One resident action: typed text, a tap on the n-th offered choice (1-based), the SOS button, ... */
type Step =
  | string
  | { tap: number }
  | { sos: true }
  | { start: string | undefined }
  | { unsupported: string }
  | { payload: string };

type Transcript = { text: string; state: SessionState; lines: string[]; messages: RenderedMessage[]; missing: string[]; cards: string[] };

function describeEvent(e: Exclude<EngineEvent, { type: "message" }>): string {
  switch (e.type) {
    case "field_set":
      return `field_set ${e.field} = ${JSON.stringify(e.value)}`;
    case "emergency":
      return `emergency via ${e.via}`;
    case "flow_entered":
      return `flow_entered ${e.flow}`;
    case "card":
      return `card ${e.id}`;
    case "requested":
      // Written as before requests were generic: `handoff_requested money`.
      return typeof e.args.topic === "string" ? `${e.name}_requested ${e.args.topic}` : `${e.name}_requested`;
    default:
      return e.type;
  }
}

function renderMessage(m: RenderedMessage): string[] {
  const out: string[] = [];
  m.text.split("\n").forEach((line, i) => {
    const rtl = i === 0 && m.rtl ? "[rtl] " : "";
    out.push(line === "" ? "<" : `< ${rtl}${line}`);
  });
  m.choices.forEach((c, i) => out.push(`  [${i + 1}] ${c.label} (${c.payload})`));
  if (m.safety) out.push(`  [SOS] ${m.safety.label} (${m.safety.payload})`);
  return out;
}

function converse(title: string, steps: Step[]): Transcript {
  let state: SessionState = newSessionState();
  let offered: RenderedMessage["choices"] = [];
  const messages: RenderedMessage[] = [];
  /** Keys said or offered that the resident's language lacks (i18next would print them bare, as "intro"). */
  const missing: string[] = [];
  /** Directory cards shown, in order. */
  const cards: string[] = [];
  const lines = [`# ${title}`, `# clock ${CLOCK.toISOString()}`];
  for (const step of steps) {
    let input: EngineInput;
    let shown: string;
    if (typeof step === "string") {
      input = { kind: "text", text: step };
      shown = `> ${step}`;
    } else if ("tap" in step) {
      const choice = offered[step.tap - 1];
      if (!choice) throw new Error(`${title}: no choice ${step.tap} to tap; offered ${JSON.stringify(offered)}`);
      input = { kind: "choice", payload: choice.payload };
      shown = `> (tap) ${choice.label}`;
    } else if ("sos" in step) {
      input = { kind: "choice", payload: SAFETY_PAYLOAD };
      shown = "> (tap) SOS";
    } else if ("start" in step) {
      input = { kind: "start", languageHint: step.start };
      shown = step.start ? `> /start (language hint ${step.start})` : "> /start";
    } else if ("unsupported" in step) {
      input = { kind: "unsupported", what: step.unsupported };
      shown = `> (${step.unsupported})`;
    } else {
      input = { kind: "choice", payload: step.payload };
      shown = `> (tap an old button ${step.payload})`;
    }
    const result = engine.step(state, input, CLOCK);
    state = result.state;
    const language = typeof state.fields.language === "string" ? state.fields.language : content.engine.defaultLanguage;
    lines.push("", shown);
    for (const e of result.events) if (e.type !== "message") lines.push(`  (event: ${describeEvent(e)})`);
    for (const e of result.events) {
      if (e.type === "card") {
        // A card the directory lacks would silently show nothing; one without its text would show a raw key.
        cards.push(e.id);
        if (!content.directory.has(e.id)) missing.push(`directory entry ${e.id}`);
        else if (content.translator.exact(language, `directory:${e.id}.what`) === undefined) missing.push(`${language} directory:${e.id}.what`);
      }
      if (e.type !== "message") continue;
      for (const key of [e.key, ...(e.choices ?? []).map((c) => c.label), ...(e.safety ? ["common:safety_button"] : [])]) {
        if (content.translator.exact(language, key) === undefined) missing.push(`${language} ${key}`);
      }
    }
    const rendered = renderEvents(result.events, language, content.translator, { directory: content.directory });
    for (const m of rendered) {
      expect(m.language).toBe(language);
      messages.push(m);
      lines.push(...renderMessage(m));
      if (m.choices.length > 0) offered = m.choices;
    }
  }
  const at = state.at ? `${state.at.flow}/${state.at.node}` : "(idle)";
  lines.push("", `= at ${at}; fields ${JSON.stringify(state.fields)}`);
  return { text: `${lines.join("\n")}\n`, state, lines, messages, missing, cards };
}

/** Namespaces of our i18n keys; a key printed raw means a missing translation. */
const RAW_KEY = /\b(common|onboarding|menu|money|housing|caregiving|parenting|meeting|relationships|welcome-back|safety|language|erase|directory|intents):[a-z_.-]+/;

function checkReadable(t: Transcript): void {
  expect(t.missing).toEqual([]);
  const said = t.lines.filter((l) => l.startsWith("<") || l.startsWith("  ["));
  expect(said.length).toBeGreaterThan(0);
  for (const line of said) expect(line, line).not.toMatch(RAW_KEY);
  // Every card the flows show is rendered, each under its own 📍 name line.
  expect(t.lines.filter((l) => l.startsWith("< 📍 ") || l.startsWith("< [rtl] 📍 "))).toHaveLength(t.cards.length);
}

/** Lines the bot said (text only, no choices). */
function botText(t: Transcript): string {
  return t.lines.filter((l) => l.startsWith("<")).join("\n");
}

describe("golden transcripts", () => {
  it("nl: onboarding and money to the end", async () => {
    const t = converse("Onboarding and money worries, Dutch", [
      { start: undefined },
      "1", // Nederlands, by number
      { tap: 1 }, // Korvel
      "geldzorgen", // the menu label, typed
      "ik heb schulden", // a keyword of "Rekeningen en schulden"
      { tap: 1 }, // Wat kan ik doen?
      "ja",
      "1", // Gaat goed
    ]);
    checkReadable(t);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    expect(t.state.fields).toEqual({ language: "nl", neighbourhood: "korvel", onboarded: true, topic: "money-bills" });
    expect(botText(t)).toContain("In welke wijk woon je?");
    expect(botText(t)).toContain("Dank je voor je vertrouwen.");
    expect(t.text).toContain("[SOS] 🆘 SOS (g|emergency)");
    expect(t.cards).toEqual(["schuldhulp-tilburg"]);
    expect(botText(t)).toContain("📍 Schuldhulpverlening gemeente Tilburg");
    await expect(t.text).toMatchFileSnapshot("../golden/nl-onboarding-money.txt");
  });

  it("ar: onboarding and money to the end, right to left", async () => {
    const t = converse("Onboarding and money worries, Arabic", [
      { start: "ar" },
      { tap: 1 }, // نعم
      "korvel",
      "١", // Arabic-Indic 1: money
      "الدخل لا يكفي", // the income label, typed
      { tap: 2 }, // food
      "لا", // not helped: the wijkteam card
      "٢", // sometimes tense: the advice, and gently the relationship check
      "٣", // no, thanks
    ]);
    checkReadable(t);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    expect(t.state.fields).toEqual({ language: "ar", neighbourhood: "korvel", onboarded: true, topic: "money-income" });
    // Once Arabic is chosen, every message is marked right to left; the language question before it is not.
    expect(t.messages.map((m) => m.rtl)).toEqual(t.messages.map((m) => m.language === "ar"));
    expect(t.messages.filter((m) => m.rtl).length).toBeGreaterThan(5);
    expect(botText(t)).toContain("سأكتب لك بالعربية");
    expect(botText(t)).toContain("شكراً لثقتك بي");
    expect(t.cards).toEqual(["voedselbank-tilburg", "resto013", "wijkteam"]);
    await expect(t.text).toMatchFileSnapshot("../golden/ar-onboarding-money.txt");
  });

  it("tr: onboarding and money to the end", async () => {
    const t = converse("Onboarding and money worries, Turkish", [
      { start: undefined },
      "Türkçe",
      "wandelbos-noord",
      "1",
      "3", // Yiyecek
      "biraz", // a little: the wijkteam card
      "4", // Söylemek istemiyorum
    ]);
    checkReadable(t);
    expect(t.state.fields).toEqual({ language: "tr", neighbourhood: "wandelbos-noord", onboarded: true, topic: "money-food" });
    expect(botText(t)).toContain("Hangi mahallede oturuyorsunuz?");
    expect(t.cards).toEqual(["voedselbank-tilburg", "resto013", "wijkteam"]);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    await expect(t.text).toMatchFileSnapshot("../golden/tr-onboarding-money.txt");
  });

  it("pl: onboarding and money to the end", async () => {
    const t = converse("Onboarding and money worries, Polish", [
      { start: "pl" },
      "tak",
      "3", // Gdzie indziej
      { tap: 1 },
      "nie mam na rachunki", // a keyword of "Rachunki i długi"
      { tap: 2 }, // Porozmawiaj z kimś: a named person is introduced (by the service), then "how?"
      "4", // Nie teraz: nothing is shared; the wijkteam card, and back to the bills page
      "menu",
    ]);
    checkReadable(t);
    expect(t.state.fields).toEqual({ language: "pl", neighbourhood: "elsewhere", onboarded: true, topic: "money-bills", handoff_topic: "money" });
    expect(t.lines).toContain("  (event: handoff_requested money)");
    expect(t.lines.some((l) => l.includes("handoff_create"))).toBe(false);
    expect(t.cards).toEqual(["wijkteam"]);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    await expect(t.text).toMatchFileSnapshot("../golden/pl-onboarding-money.txt");
  });

  it("uk: onboarding and money to the end", async () => {
    const t = converse("Onboarding and money worries, Ukrainian", [
      { start: undefined },
      "6",
      "1",
      "1",
      "1",
      { tap: 1 },
      "трохи", // a little: the wijkteam card
      "1", // Усе добре
    ]);
    checkReadable(t);
    expect(t.state.fields).toEqual({ language: "uk", neighbourhood: "korvel", onboarded: true, topic: "money-bills" });
    expect(botText(t)).toContain("Ось як почати:");
    expect(t.cards).toEqual(["schuldhulp-tilburg", "wijkteam"]);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    await expect(t.text).toMatchFileSnapshot("../golden/uk-onboarding-money.txt");
  });

  it("en: SOS in the middle of money, and back", async () => {
    const t = converse("SOS in the middle of money worries, English", [
      { start: "en" },
      "yes",
      "1",
      "1",
      "1", // bills
      "SOS",
      { tap: 1 }, // Talk to someone
      { tap: 2 }, // Back (after "Safe use")
      { tap: 1 }, // What can I do?
      "he hits me when I ask about money",
      { tap: 4 }, // Back
      { sos: true },
      { tap: 5 }, // To the menu
    ]);
    checkReadable(t);
    expect(t.lines.filter((l) => l.startsWith("  (event: emergency"))).toEqual([
      "  (event: emergency via keyword)",
      "  (event: emergency via phrase)",
      "  (event: emergency via choice)",
    ]);
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    expect(botText(t)).toContain("Are you or someone else in danger? Call 112 now.");
    expect(t.cards).toEqual(["schuldhulp-tilburg"]);
    await expect(t.text).toMatchFileSnapshot("../golden/en-sos-mid-money.txt");
  });

  it("en: money's other paths: things, a person, \"I don't feel safe\" and back, income steps", async () => {
    const t = converse("Money worries, the other paths, English", [
      { start: "en" },
      "yes",
      "1", // Korvel
      "1", // Money worries
      "I need clothes for my kids", // a keyword of "Clothes and things"
      "no", // not useful: the wijkteam card, then the question about home
      "5", // I don't feel safe
      { tap: 4 }, // Back: the question about home again
      "I'd rather not say", // the label, typed
      "1", // Money worries again
      "5", // Talk to someone: a named person (the service introduces them), then "how?"
      "Not now", // the label, typed: the wijkteam card, back to the money question
      "menu",
      "1",
      "2", // Not enough income
      { tap: 1 }, // How do I apply?
    ]);
    checkReadable(t);
    expect(t.cards).toEqual(["ruilwinkel", "wijkteam", "wijkteam", "inkomen-tilburg"]);
    // "I don't feel safe" counts as an emergency shown, shows the safety numbers, and "Back" returns to the question about home.
    const unsafe = t.lines.indexOf("> 5");
    expect(t.lines.slice(unsafe, unsafe + 4)).toEqual(["> 5", "  (event: emergency via choice)", "  (event: flow_entered safety)", "< Are you or someone else in danger? Call 112 now."]);
    expect(t.lines.filter((l) => l.includes("(c|money|home|unsafe)"))).toHaveLength(2);
    expect(t.state.at).toEqual({ flow: "money", node: "helped" });
    expect(t.state.fields).toEqual({ language: "en", neighbourhood: "korvel", onboarded: true, topic: "money-income", handoff_topic: "money" });
    const text = botText(t);
    expect(text).toContain("At the Ruilwinkel you swap things without money.");
    expect(text).toContain("That's fine. You don't have to tell me anything.");
    expect(text).toContain("How would you like to get in touch? Nothing is shared until you say yes.");
    expect(text).toContain("Ask about the minimaregelingen.");
    await expect(t.text).toMatchFileSnapshot("../golden/en-money-paths.txt");
  });

  it("language switch in the middle of a flow", async () => {
    const t = converse("Switching language in the middle of money worries", [
      { start: "nl" },
      "ja",
      "1",
      "1",
      "1", // bills
      "taal",
      "English",
      "language",
      "6", // Українська
      "1", // Що я можу зробити?
    ]);
    checkReadable(t);
    expect(t.state.fields.language).toBe("uk");
    expect(t.state.at).toEqual({ flow: "money", node: "helped" });
    const text = botText(t);
    expect(text).toContain("Schulden kunnen snel groeien.");
    expect(text).toContain("OK, I'll write in English from now on.");
    expect(text).toContain("Debts can grow fast.");
    expect(text).toContain("Добре, відтепер я пишу українською.");
    expect(text).toContain("Борги можуть швидко рости.");
    expect(t.cards).toEqual(["schuldhulp-tilburg"]);
    await expect(t.text).toMatchFileSnapshot("../golden/language-switch.txt");
  });

  for (const [language, told, expected] of [
    ["nl", "mijn buurvrouw wordt geslagen door haar man, ik hoor het elke avond door de muur", ["Ben jij of iemand anders in gevaar? Bel nu 112.", "Maak je je zorgen om iemand?"]],
    ["pl", "koleżanka z pracy ma ciągle siniaki, myślę że jej facet ją bije", ["Czy tobie lub komuś innemu grozi niebezpieczeństwo?", "Martwisz się o kogoś?"]],
  ] as const) {
    it(`${language}: violence told about someone else: the numbers at once, then what someone who worries about another can do`, async () => {
      const t = converse(`Told about someone else, ${language}`, [
        { start: language },
        { tap: 1 }, // yes, this language
        { tap: 1 }, // Korvel
        told,
        { tap: 2 }, // worried about someone
      ]);
      checkReadable(t);
      expect(t.lines.filter((l) => l.startsWith("  (event: emergency"))).toEqual(["  (event: emergency via phrase)"]);
      for (const e of expected) expect(botText(t)).toContain(e);
      expect(t.state.at).toEqual({ flow: "relationships", node: "others" });
      await expect(t.text).toMatchFileSnapshot(`../golden/someone-else.${language}.txt`);
    });
  }

  it("erase: no keeps everything, yes erases", async () => {
    const t = converse("Erasing, Dutch", [
      { start: "nl" },
      "ja",
      "2",
      "stop",
      "2", // Nee, niet wissen
      "9", // Privacy en wissen (the ninth topic now)
      { tap: 3 }, // Alles wissen (after "Niet zelf berichten" and "Veilig gebruik")
      "1", // Ja, wis alles
    ]);
    checkReadable(t);
    expect(t.lines.filter((l) => l.includes("erase_requested"))).toEqual(["  (event: erase_requested)"]);
    expect(t.lines.slice(-6, -3)).toEqual(["", "> 1", "  (event: erase_requested)"]);
    expect(t.state.at).toBeUndefined();
    expect(botText(t)).toContain("Goed, ik wis niets.");
    expect(botText(t)).toContain("Klaar. Alles over jou is gewist.");
    await expect(t.text).toMatchFileSnapshot("../golden/erase.txt");
  });

  it("misunderstandings: two misses, a photo, an old button", async () => {
    const t = converse("Not understood, unsupported input and stale buttons, English", [
      { start: "en" },
      "yes",
      "where is the town hall",
      "???",
      { unsupported: "photo" },
      "korvel",
      { payload: "c|onboarding|confirm-language|yes" },
      "still nothing",
      "nope",
    ]);
    checkReadable(t);
    const text = botText(t);
    expect(text).toContain("Thank you for your message."); // a sentence is acknowledged, not apologised for
    expect(text).toContain("I read it, but I can't place it yet."); // never the same reply twice in a row
    expect(text).toContain("I can only read text");
    expect(text).toContain("That button belongs to an earlier message.");
    expect(text).not.toContain("Sorry");
    expect(t.state.fields.neighbourhood).toBe("korvel");
    expect(t.state.at).toEqual({ flow: "menu", node: "main" });
    await expect(t.text).toMatchFileSnapshot("../golden/misunderstandings.txt");
  });

  for (const [language, line, expected] of [
    ["nl", "ik zorg al 3 jaar voor mijn moeder met dementie en ik kan echt niet meer", "Als het te veel wordt"],
    ["en", "looking after my dad with parkinsons on my own, i cant cope anymore", "When it all gets too much"],
  ] as const) {
    it(`a carer at the end of their rope in their own words (${language}): support for carers, not the relationship offers`, async () => {
      const t = converse(`A carer's own words, ${language}`, [
        { start: language },
        { tap: 1 }, // yes, this language
        { tap: 1 }, // Korvel
        line,
        { tap: 2 }, // a break from caring
      ]);
      checkReadable(t);
      expect(t.lines.filter((l) => l.includes("(event:") && /hint_offered|topic_recognised/.test(l))).toEqual(["  (event: hint_offered)"]);
      expect(botText(t)).toContain(expected);
      expect(t.state.at?.flow).toBe("caregiving");
      await expect(t.text).toMatchFileSnapshot(`../golden/carer-own-words.${language}.txt`);
    });
  }

  for (const [language, lines] of [
    [
      "nl",
      {
        danger: "hij heeft me gisteren weer geslagen",
        hint: "mijn man controleert steeds mijn telefoon",
        crisis: "ik wil niet meer leven",
        topic: "ik heb schulden",
        hello: "hallo",
        gibberish: "xqzt",
        sentence: "ik weet het ook allemaal niet meer",
        expect: ["Bel nu 112", "Dank je dat je dit vertelt.", "113 of 0800-0113", "Zo houd je Naast voor jezelf", "Hallo! Fijn dat je er bent.", "Dat woord ken ik niet.", "Ik lees het, maar ik kan het nog niet goed plaatsen."],
      },
    ],
    [
      "en",
      {
        danger: "he threatened to kill me last night",
        hint: "my husband gets angry very quickly",
        crisis: "i want to die",
        topic: "i have debts",
        hello: "hello",
        gibberish: "xqzt",
        sentence: "i dont know anymore honestly",
        expect: ["Call 112 now", "Thank you for telling me.", "113 or 0800-0113", "How to keep Naast to yourself", "Hello! Good to see you.", "I don't know that word.", "I read it, but I can't place it yet."],
      },
    ],
  ] as const) {
    it(`residents' own words in ${language}: danger, a hint, a crisis, safe use, a topic, small talk, an unknown word`, async () => {
      const t = converse(`Residents' own words, ${language}`, [
        { start: language },
        { tap: 1 }, // yes, this language
        { tap: 1 }, // Korvel
        lines.danger,
        { tap: 4 }, // back
        lines.hint,
        { tap: 4 }, // back to where I was
        lines.crisis,
        { tap: 2 }, // safe use
        { tap: 3 }, // back
        { tap: 3 }, // back, out of the crisis message
        lines.topic,
        lines.hello,
        lines.gibberish,
        lines.sentence,
      ]);
      checkReadable(t);
      expect(t.lines.filter((l) => l.includes("(event:") && /emergency|crisis_shown|hint_offered|topic_recognised/.test(l))).toEqual([
        "  (event: emergency via phrase)",
        "  (event: hint_offered)",
        "  (event: crisis_shown)",
        "  (event: topic_recognised)",
      ]);
      const text = botText(t);
      for (const e of lines.expect) expect(text).toContain(e);
      expect(text).not.toMatch(/Sorry/);
      expect(t.state.at?.flow).toBe("money");
      await expect(t.text).toMatchFileSnapshot(`../golden/own-words.${language}.txt`);
    });
  }
});
