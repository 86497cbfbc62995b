import { describe, expect, it } from "vitest";
import { LANGUAGES, type Language } from "../../src/content/vocabulary.js";
import { loadLocales, type Resource } from "../../src/content/load-content.js";

/**
 * What Naast tells residents must be true on every channel. No channel shows the choices' numbers (Telegram
 * and the web chat show buttons, WhatsApp buttons or a list), so no text may ask for "the number".
 */
const TYPE_THE_NUMBER: Readonly<Record<Language, RegExp>> = {
  nl: /\b(typ|tik|kies) (het|een) (nummer|cijfer)\b/iu,
  en: /\b(type|enter|choose) (the|a) (number|digit)\b/iu,
  tr: /\b(numarayı|numarasını|rakamı) (yazın|girin|seçin)\b/iu,
  ar: /(اكتب|أدخل|اختر) (الرقم|رقم)(?! ?هاتف)/u,
  pl: /\b(wpisz|wybierz) (numer|cyfrę)\b(?! telefonu)/iu,
  uk: /(напиши|введи|обери) (номер|цифру)(?! телефону)/iu,
};

/** Namespaces only staff read. */
const STAFF = new Set(["admin"]);

function texts(resource: Resource, prefix = ""): [string, string][] {
  return Object.entries(resource).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : Array.isArray(v) ? [] : texts(v, `${prefix}${k}.`),
  );
}

describe("texts that are true on every channel", () => {
  it("no resident text in any language asks for a choice's number (no channel shows one)", async () => {
    const locales = await loadLocales();
    const found: string[] = [];
    for (const language of LANGUAGES) {
      for (const [ns, resource] of Object.entries(locales[language] ?? {})) {
        if (STAFF.has(ns)) continue;
        for (const [key, text] of texts(resource)) if (TYPE_THE_NUMBER[language].test(text)) found.push(`${language} ${ns}:${key}: ${text}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("the patterns catch the old wording, in each language", () => {
    expect(TYPE_THE_NUMBER.nl.test("Tik op een knop of typ het nummer.")).toBe(true);
    expect(TYPE_THE_NUMBER.en.test("Tap a button or type the number.")).toBe(true);
    expect(TYPE_THE_NUMBER.tr.test("Bir düğmeye dokunun ya da numarayı yazın.")).toBe(true);
    expect(TYPE_THE_NUMBER.ar.test("اضغط على زر أو اكتب الرقم.")).toBe(true);
    expect(TYPE_THE_NUMBER.pl.test("Naciśnij przycisk albo wpisz numer.")).toBe(true);
    expect(TYPE_THE_NUMBER.uk.test("Натисни кнопку або напиши номер.")).toBe(true);
    // A phone number is something else.
    expect(TYPE_THE_NUMBER.pl.test("Wpisz numer telefonu.")).toBe(false);
  });
});
