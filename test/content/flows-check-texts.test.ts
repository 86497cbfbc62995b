import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlows } from "../../src/content/load-content.js";
import type { Exit } from "../../src/engine/flow-schema.js";
import { check, contentFixtures, everywhere, EXTRA_TEXTS } from "../support/content-fixture.js";

const { fixture } = contentFixtures();

describe("checkContent on broken texts: keys, labels, payloads, entry flows", () => {
  it("reports an i18n key missing in one language", async () => {
    const { tr: _tr, ...withoutTr } = everywhere(EXTRA_TEXTS);
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: intro }]",
          "    wait: { choices: [{ id: one, label: one, go: end }, { id: two, label: two, go: end }] }",
          "",
        ].join("\n"),
      },
      namespace: { name: "extra", byLanguage: withoutTr },
    });
    expect(await check(dirs)).toEqual([
      "flows/extra.yaml › flow extra › node start: key extra:intro is missing in tr",
      "flows/extra.yaml › flow extra › node start: label extra:one of choice one is missing in tr",
      "flows/extra.yaml › flow extra › node start: label extra:two of choice two is missing in tr",
      "locales/tr/extra.json: missing; Dutch has it",
    ]);
  });

  it("reports a text only a service says (no flow names it) missing in one language, and a key Dutch does not have", async () => {
    const dirs = await fixture({});
    const file = path.join(dirs.localesDir, "ar", "handoff.json");
    const handoff = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    delete handoff.kept;
    handoff.kept_typo = "…";
    await writeFile(file, JSON.stringify(handoff));
    const web = path.join(dirs.localesDir, "uk", "web.json");
    const words = JSON.parse(await readFile(web, "utf8")) as Record<string, unknown>;
    delete words.placeholder;
    await writeFile(web, JSON.stringify(words));
    expect(await check(dirs)).toEqual([
      "locales/uk: key web:placeholder is missing",
      "locales/ar/handoff.json: key kept is missing (Dutch has it)",
      "locales/ar/handoff.json: key kept_typo is not in Dutch (a leftover or a typo?)",
    ]);
  });

  it("reports a single key missing in a single language of an existing namespace", async () => {
    const dirs = await fixture({});
    const file = path.join(dirs.localesDir, "uk", "money.json");
    const money = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    delete money.helped_question;
    await writeFile(file, JSON.stringify(money));
    expect(await check(dirs)).toEqual(["flows/money.yaml › flow money › node helped: key money:helped_question is missing in uk"]);
  });

  it("reports a system key missing in one language", async () => {
    const dirs = await fixture({});
    const file = path.join(dirs.localesDir, "pl", "common.json");
    const common = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    delete common.ack_free_text_again;
    await writeFile(file, JSON.stringify(common));
    expect(await check(dirs)).toEqual(["locales/pl: key common:ack_free_text_again is missing"]);
  });

  it("reports a reply-button label over 20 characters (2 choices + SOS = 3 buttons) in one language", async () => {
    const texts = everywhere(EXTRA_TEXTS);
    texts.pl = { ...EXTRA_TEXTS, one: "x".repeat(21) };
    texts.en = { ...EXTRA_TEXTS, two: "y".repeat(20) }; // exactly at the limit: fine
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: intro }]",
          "    wait: { choices: [{ id: one, label: one, go: end }, { id: two, label: two, go: end }] }",
          "",
        ].join("\n"),
      },
      namespace: { name: "extra", byLanguage: texts },
    });
    expect(await check(dirs)).toEqual([
      `flows/extra.yaml › flow extra › node start: label of choice one in pl "${"x".repeat(21)}" is 21 characters; WhatsApp allows 20 for reply buttons`,
    ]);
  });

  it("counts characters, not bytes or UTF-16 units (a 20-letter Arabic or emoji label fits a button)", async () => {
    const texts = everywhere(EXTRA_TEXTS);
    texts.ar = { ...EXTRA_TEXTS, one: "ب".repeat(20) };
    texts.uk = { ...EXTRA_TEXTS, two: "😀".repeat(20) };
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: intro }]",
          "    wait: { choices: [{ id: one, label: one, go: end }, { id: two, label: two, go: end }] }",
          "",
        ].join("\n"),
      },
      namespace: { name: "extra", byLanguage: texts },
    });
    expect(await check(dirs)).toEqual([]);
  });

  it("counts the SOS option: 3 choices + SOS is a list (24), 3 choices without SOS are buttons (20)", async () => {
    const label = "z".repeat(22);
    const texts = everywhere(EXTRA_TEXTS);
    texts.nl = { ...EXTRA_TEXTS, three: label };
    const flow = (safety: boolean) =>
      [
        "flow: extra",
        `safetyChoice: ${safety}`,
        "nodes:",
        "  - id: start",
        "    actions: [{ say: intro }]",
        "    wait:",
        "      choices:",
        "        - { id: one, label: one, go: end }",
        "        - { id: two, label: two, go: end }",
        "        - { id: three, label: three, go: end }",
        "",
      ].join("\n");

    const withSos = await fixture({ flows: { "extra.yaml": flow(true) }, namespace: { name: "extra", byLanguage: texts } });
    expect(await check(withSos)).toEqual([]);

    const withoutSos = await fixture({ flows: { "extra.yaml": flow(false) }, namespace: { name: "extra", byLanguage: texts } });
    expect(await check(withoutSos)).toEqual([
      `flows/extra.yaml › flow extra › node start: label of choice three in nl "${label}" is 22 characters; WhatsApp allows 20 for reply buttons`,
    ]);
  });

  it("reports a list-row label over 24 characters in one language", async () => {
    const texts = everywhere(EXTRA_TEXTS);
    texts.tr = { ...EXTRA_TEXTS, four: "q".repeat(25) };
    texts.ar = { ...EXTRA_TEXTS, three: "ق".repeat(24) }; // exactly at the limit: fine
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: intro }]",
          "    wait:",
          "      choices:",
          "        - { id: one, label: one, go: end }",
          "        - { id: two, label: two, go: end }",
          "        - { id: three, label: three, go: end }",
          "        - { id: four, label: four, go: end }",
          "",
        ].join("\n"),
      },
      namespace: { name: "extra", byLanguage: texts },
    });
    expect(await check(dirs)).toEqual([
      `flows/extra.yaml › flow extra › node start: label of choice four in tr "${"q".repeat(25)}" is 25 characters; WhatsApp allows 24 for list rows`,
    ]);
  });

  it("reports a too-long label in a real flow's locale", async () => {
    const dirs = await fixture({});
    const file = path.join(dirs.localesDir, "ar", "erase.json");
    const erase = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    erase.yes_erase = "نعم، احذف كل شيء من فضلك الآن";
    await writeFile(file, JSON.stringify(erase));
    const problems = await check(dirs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^flows\/erase\.yaml › flow erase › node confirm: label of choice yes in ar ".*" is 29 characters; WhatsApp allows 24 for list rows$/);
  });

  it("reports a choice whose payload is longer than Telegram's 64 bytes", async () => {
    const flowId = "a-rather-long-flow-name1"; // 24 characters, the most an id may have
    const nodeId = "a-rather-long-node-name1";
    const dirs = await fixture({
      flows: {
        [`${flowId}.yaml`]: [
          `flow: ${flowId}`,
          "nodes:",
          `  - id: ${nodeId}`,
          "    actions: [{ say: common:yes }]",
          "    wait:",
          "      choices:",
          "        - { id: a-rather-long-choice-id1, label: common:yes, go: end }",
          "        - { id: short, label: common:no, go: end }",
          "",
        ].join("\n"),
      },
    });
    // "c|" + 24 + "|" + 24 + "|" + 24 = 76 bytes; "c|" + 24 + "|" + 24 + "|" + 5 = 57 bytes.
    expect(await check(dirs)).toEqual([
      `flows/${flowId}.yaml › flow ${flowId} › node ${nodeId}: choice a-rather-long-choice-id1 makes a 76-byte payload; Telegram allows 64`,
    ]);
  });

  it("reports the entry flows the engine needs when they are missing", async () => {
    const entry = ["safety", "erase", "welcome-back"];
    const dirs = await fixture({ omitFlows: entry });
    const problems = await check(dirs);
    for (const id of entry) expect(problems).toContain(`flows/${id}.yaml: missing; the engine starts this flow itself`);
    // The menu's privacy page links to @erase, which is now gone.
    expect(problems).toContain('flows/menu.yaml › flow menu › node privacy: choice erase goes to flow "erase", which does not exist');
    // Money's "I don't feel safe" links to @safety, which is gone too.
    expect(problems).toContain('flows/money.yaml › flow money › node home: choice unsafe goes to flow "safety", which does not exist');
    // Every exit into a removed flow is reported once, and nothing else is.
    const { flows } = await loadFlows(dirs.flowsDir);
    const dangling: string[] = [];
    for (const flow of flows.values()) {
      for (const node of flow.nodes) {
        const exits: [where: string, go: Exit | undefined][] = [
          ["go", node.go],
          ...(node.wait?.choices ?? []).map((c): [string, Exit] => [`choice ${c.id}`, c.go]),
          ["text", node.wait?.text?.go],
          ["other", node.wait?.other],
          ["timeout", node.wait?.timeout?.go],
          ...(node.branch?.cases ?? []).map((c, i): [string, Exit] => [`branch case ${i + 1}`, c.go]),
          ["branch default", node.branch?.default],
        ];
        for (const [where, go] of exits) {
          const target = go?.kind === "flow" ? go.flow : undefined;
          if (target && entry.includes(target)) {
            dangling.push(`flows/${flow.flow}.yaml › flow ${flow.flow} › node ${node.id}: ${where} goes to flow "${target}", which does not exist`);
          }
        }
      }
    }
    expect(dangling.length).toBeGreaterThanOrEqual(2);
    expect([...problems].sort()).toEqual([...dangling, ...entry.map((id) => `flows/${id}.yaml: missing; the engine starts this flow itself`)].sort());
  });
});
