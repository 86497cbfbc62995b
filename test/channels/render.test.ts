import { describe, expect, it } from "vitest";
import type { RenderedMessage } from "../../src/channels/rendered-message.js";
import { parseMorePayload } from "../../src/channels/rendered-message.js";
import { renderTelegram } from "../../src/channels/telegram/telegram-render.js";
import { renderWhatsApp } from "../../src/channels/whatsapp/whatsapp-render.js";

const ui = { listButton: "Kies", section: "Keuzes", more: "Meer keuzes ➜", hint: 'Typ "menu", "terug" of "SOS"' };
const safety = { payload: "g|emergency", label: "🆘 SOS" };
const msg = (n: number, over: Partial<RenderedMessage> = {}): RenderedMessage => ({
  language: "nl",
  rtl: false,
  text: "Waar gaat het over?",
  choices: Array.from({ length: n }, (_, i) => ({ payload: `c|f|n|c${i + 1}`, label: `Keuze ${i + 1}` })),
  safety,
  offset: 0,
  ui,
  ...over,
});
type List = { interactive: { type: string; action: { button: string; sections: { title: string; rows: { id: string; title: string }[] }[] } } };
type Buttons = { interactive: { type: string; footer?: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } } };

describe("WhatsApp rendering", () => {
  it("plain text when there is nothing to choose", () => {
    const body = renderWhatsApp("316", { ...msg(0), safety: undefined });
    expect(body).toMatchObject({ type: "text", to: "316", text: { body: "Waar gaat het over?", preview_url: false } });
  });

  it("up to 3 options (choices + SOS) as reply buttons with the hint as footer", () => {
    const body = renderWhatsApp("316", msg(2)) as unknown as Buttons;
    expect(body.interactive.type).toBe("button");
    expect(body.interactive.action.buttons.map((b) => b.reply.id)).toEqual(["c|f|n|c1", "c|f|n|c2", "g|emergency"]);
    expect(body.interactive.footer?.text).toBe(ui.hint);
  });

  it("4 to 10 options as one list", () => {
    const body = renderWhatsApp("316", msg(9)) as unknown as List;
    expect(body.interactive.type).toBe("list");
    const rows = body.interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(10);
    expect(rows.at(-1)!.id).toBe("g|emergency");
    expect(body.interactive.action.button).toBe("Kies");
  });

  it("more than 10 options as pages of 8 choices + SOS + a 'more' row that leads on and wraps around", () => {
    const page1 = (renderWhatsApp("316", msg(20)) as unknown as List).interactive.action.sections[0]!.rows;
    expect(page1).toHaveLength(10);
    expect(page1.slice(0, 8).map((r) => r.title)).toEqual(Array.from({ length: 8 }, (_, i) => `Keuze ${i + 1}`));
    expect(page1[8]!.id).toBe("g|emergency");
    expect(parseMorePayload(page1[9]!.id)).toBe(8);
    const page3 = (renderWhatsApp("316", msg(20, { offset: 16 })) as unknown as List).interactive.action.sections[0]!.rows;
    expect(page3.map((r) => r.title).slice(0, 4)).toEqual(["Keuze 17", "Keuze 18", "Keuze 19", "Keuze 20"]);
    expect(parseMorePayload(page3.at(-1)!.id)).toBe(0);
  });

  it("never exceeds WhatsApp's limits, clipping rather than failing", () => {
    const long = "x".repeat(2000);
    const body = renderWhatsApp("316", { ...msg(4), text: long, choices: [{ payload: "p", label: "y".repeat(40) }, ...msg(4).choices] }) as unknown as List & { interactive: { body: { text: string } } };
    expect([...body.interactive.body.text].length).toBeLessThanOrEqual(1024);
    for (const r of body.interactive.action.sections[0]!.rows) expect([...r.title].length).toBeLessThanOrEqual(24);
  });

  it("a template when asked, with its parameters", () => {
    const body = renderWhatsApp("316", { ...msg(0), template: { name: "new_message", language: "nl", params: ["Naast"] } });
    expect(body).toMatchObject({ type: "template", template: { name: "new_message", language: { code: "nl" }, components: [{ type: "body", parameters: [{ type: "text", text: "Naast" }] }] } });
  });
});

describe("Telegram rendering", () => {
  it("one inline button per row, SOS last, all choices at once", () => {
    const r = renderTelegram(msg(12));
    expect(r.reply_markup?.inline_keyboard).toHaveLength(13);
    expect(r.reply_markup?.inline_keyboard.at(-1)![0]).toEqual({ text: "🆘 SOS", callback_data: "g|emergency" });
  });
  it("no keyboard without choices", () => {
    expect(renderTelegram({ ...msg(0), safety: undefined })).toEqual({ text: "Waar gaat het over?" });
  });
});
