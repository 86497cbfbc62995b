import type { RenderedMessage } from "../channels/rendered-message.js";
import { SERVICE_FLOWS } from "../content/content.js";
import type { Cipher } from "../crypto/cipher.js";
import { choicePayload, type FlowEngine, type StepResult } from "../engine/engine.js";
import { decodePayload, encodePayload } from "../engine/payload.js";
import type { EngineEvent, MessageEvent, OfferedChoice, TextEvent } from "../engine/events.js";
import type { SessionState } from "../engine/session-state.js";
import type { Tx } from "../storage/db-client.js";
import type { Translator } from "../i18n/translator.js";
import { isRequestFor, type ConversationDesk, type DeskContext, type DeskInput } from "../conversation/conversation-desk.js";
import { HANDOFF_REQUESTS } from "./handoff-requests.js";
import { CALL_TIMES, CHECK_IN_ANSWERS, codeName, type CallSafety, type HandoffService } from "./handoff-service.js";
import { encodeMatchFact } from "./match-facts.js";

/** Rendered messages (a professional's message, a check-in reply) travel through the engine's events as ready text. */
const ready = (m: RenderedMessage): TextEvent => ({
  type: "text",
  text: m.text,
  ...(m.choices.length ? { choices: m.choices.map((c): OfferedChoice => ({ kind: "text", payload: c.payload, label: c.label })) } : {}),
});

/** "To the menu", from wherever the resident is: a global payload, so an answer needs no question under it. */
const MENU_CHOICE: OfferedChoice = { kind: "key", payload: encodePayload({ kind: "global", intent: "menu" }), label: "common:to_menu" };

/**
 * A reply that stands on its own (to a check-in answer, an old "reply" button): its own choices, or the
 * way to the menu, and SOS, instead of the question the resident was at all over again.
 */
const alone = <M extends MessageEvent | TextEvent>(m: M): M => ({ ...m, choices: m.choices?.length ? m.choices : [MENU_CHOICE], safety: true });

const ENCRYPTED = "enc:";
const CHAT_FLOW = SERVICE_FLOWS.handoffChat;

/**
 * The conversation side of a warm handoff: introduces the matched professional, shows exactly what
 * would be shared, creates the handoff on "yes", relays what the resident writes, delivers what was
 * held back, and takes check-in answers. A phone number in the session state is kept encrypted.
 */
export class HandoffDesk implements ConversationDesk {
  readonly handles = HANDOFF_REQUESTS;

  constructor(
    private readonly engine: FlowEngine,
    private readonly t: Translator,
    private readonly cipher: Cipher,
    private readonly handoffs: HandoffService,
  ) {}

  /** A global word ("menu", "SOS") or words of danger or crisis: the engine must see them. */
  #isIntent(text: string): boolean {
    if (this.engine.content.lexicon.intentOf(text) !== undefined) return true;
    const r = this.engine.content.recognizer.recognize(text);
    return r.danger || r.crisis;
  }

  /** Residents with something held for them or an open chat: only they make `before` look in the database. */
  async prepare(db: Tx, residentIds: readonly string[]): Promise<ReadonlySet<string>> {
    return this.handoffs.waitingFor(db, residentIds);
  }

  /** Handles what the engine cannot know about; undefined lets the engine (and other desks) go on. */
  async before(db: Tx, ctx: DeskContext, input: DeskInput, state: SessionState): Promise<StepResult | undefined> {
    const now = this.handoffs.now();
    const payload = input.kind === "choice" ? input.payload ?? "" : "";
    const decoded = decodePayload(payload);
    const text = input.kind === "text" ? input.text ?? "" : "";
    // Read only where a handoff concerns the resident: for everyone else it was a second recognition of every typed message.
    let intentRead: boolean | undefined;
    const intent = (): boolean => (intentRead ??= input.kind === "text" && this.#isIntent(text));

    // What waited for the resident to write comes first (not when they ask for help or the menu).
    if (ctx.concerned && !intent() && decoded?.kind !== "global") {
      const held = await this.handoffs.heldFor(db, ctx.residentId, ctx.language);
      if (held.length > 0 && decoded?.kind !== "handoff") {
        const prompt = this.engine.prompt(state, now);
        return { state: prompt.state, events: [...held.map(ready), ...prompt.events] };
      }
    }

    if (decoded?.kind === "handoff") {
      const { action, handoffId: id, answer } = decoded;
      if (action === "check_in") {
        const a = CHECK_IN_ANSWERS.find((x) => x === answer);
        const reply = a ? await this.handoffs.answerCheckIn(db, id, ctx.residentId, a, ctx.language, ctx.afterCommit) : undefined;
        if (!reply) return this.engine.prompt(state, now);
        return { state: this.engine.stay(state, now).state, events: [alone(ready(reply))] };
      }
      const h = await db.handoff.findFirst({ where: { id, residentId: ctx.residentId }, include: { professional: true } });
      if (!h) return this.engine.prompt(state, now);
      if (action === "reply") {
        if (h.status === "closed") {
          return { state: this.engine.stay(state, now).state, events: [alone({ type: "message", key: "handoff:closed", params: { name: h.professional.name } })] };
        }
        const fields = { ...state.fields, handoff_case: h.id, handoff_name: h.professional.name };
        return this.engine.enter({ ...state, fields }, CHAT_FLOW, now);
      }
      if (action === "other") {
        // Someone else, for the same topic: the handoff flow again, without this professional.
        const fields = { ...state.fields, handoff_topic: h.topic, handoff_exclude: h.professionalId };
        return this.engine.enter({ ...state, fields }, "handoff", now);
      }
      // "keep": keep this professional; nothing changes, and the resident hears that it stays as it is.
      return { state: this.engine.stay(state, now).state, events: [alone({ type: "message", key: "handoff:kept", params: { name: h.professional.name } })] };
    }

    // Typed in the chat with the professional: relayed. "menu", "SOS" and the like go to the engine only;
    // words of danger go to both, so the professional reads them and the resident gets the safety message.
    const globalWord = input.kind === "text" && this.engine.content.lexicon.intentOf(text) !== undefined;
    if (input.kind === "text" && state.at?.flow === CHAT_FLOW && !globalWord) {
      // Only a whole message such as "klaar" leaves the chat; "ik ben klaar met de brieven" is a message for them.
      if (this.engine.answersWait(state, { kind: "text", text }, now, { choicesOnly: true, wholeMessage: true })) return undefined;
      const id = state.fields.handoff_case;
      const h = typeof id === "string" ? await this.handoffs.activeFor(db, id, ctx.residentId) : null;
      if (!h) return intent() ? undefined : this.engine.finish(state, now);
      await this.handoffs.addResidentMessage(db, h.id, text.slice(0, 2000), ctx.afterCommit);
      if (intent()) return undefined;
      return { state, events: [this.#chatAck(h.professional.name)] };
    }

    // A typed answer to the professional's last message, without tapping "reply": it goes to them too,
    // unless it answers the question on screen ("1", "ja") or is a word for the whole bot.
    if (ctx.concerned && input.kind === "text" && !globalWord && !this.engine.answersWait(state, { kind: "text", text }, now, { wholeMessage: true })) {
      const open = await this.handoffs.openChatFor(db, ctx.residentId);
      if (open) {
        await this.handoffs.addResidentMessage(db, open.id, text.slice(0, 2000), ctx.afterCommit);
        if (intent()) return undefined;
        const fields = { ...state.fields, handoff_case: open.id, handoff_name: open.professional.name };
        const entered = this.engine.enter({ ...state, fields }, CHAT_FLOW, now);
        return { state: entered.state, events: [this.#chatAck(open.professional.name)] };
      }
    }
    return undefined;
  }

  #chatAck(name: string): MessageEvent {
    return {
      type: "message",
      key: "handoff:chat_ack",
      params: { name },
      choices: [{ kind: "key", payload: choicePayload(CHAT_FLOW, "chatting", "done"), label: "handoff-chat:done" }],
      safety: true,
    };
  }

  /** Acts on the step's handoff requests; the result may replace the step (nobody to introduce). */
  async after(db: Tx, ctx: DeskContext, step: StepResult): Promise<StepResult> {
    const state: SessionState = { ...step.state, fields: { ...step.state.fields } };
    const events: EngineEvent[] = [];
    const language = ctx.language;
    const f = state.fields;
    /** "Write to them" after a chat request is sent: it joins the choices of the question that follows. */
    let write: OfferedChoice | undefined;
    for (const e of step.events) {
      if (!isRequestFor(e, HANDOFF_REQUESTS)) {
        if (write && e.type === "message" && e.choices) {
          events.push({ ...e, choices: [write, ...e.choices] });
          write = undefined;
          continue;
        }
        events.push(e);
        continue;
      }
      if (e.name === "handoff") {
        const topic = typeof e.args.topic === "string" ? e.args.topic : "general";
        const exclude = typeof f.handoff_exclude === "string" ? [f.handoff_exclude] : [];
        delete f.handoff_exclude;
        const match = await this.handoffs.match(db, { topic, language, neighbourhood: ctx.neighbourhood, exclude });
        if (!match) {
          // Nobody to introduce: the flow's own "nobody" path says so once, with the wijkteam and a walk-in.
          const none = this.engine.nobodyFound(state, topic, this.handoffs.now(), { rememberForVisit: exclude.length === 0 });
          return { state: none.state, events: [...events, ...none.events] };
        }
        const view = (await this.handoffs.view(db, match.candidate.id, language))!;
        Object.assign(f, { handoff_pro: view.id, handoff_name: view.name, handoff_topic: topic, handoff_reason: encodeMatchFact(match.facts) });
        const languages = this.#languageList(view.languages, language);
        events.push({
          type: "message",
          key: "handoff:intro",
          params: { name: view.name, intro: view.intro, organisation: view.organisation, languages, when: this.handoffs.when(this.handoffs.acceptBy(view), language) },
        });
        if (!match.languageMatch) {
          events.push({ type: "message", key: "handoff:intro_other_language", params: { name: view.name, language: this.t.t(language, `common:lang.${language}`), languages } });
        }
        continue;
      }
      if (e.name === "handoff_preview") {
        const name = String(f.handoff_name ?? "");
        const phone = this.#phone(f.handoff_phone);
        events.push({
          type: "message",
          key: "handoff:preview",
          params: {
            name,
            topic: this.t.t(language, `handoff:topic.${String(f.handoff_topic ?? "general")}`),
            answers: this.#answers(state).map((a) => this.t.t(language, "handoff:preview_answer", { answer: this.t.t(language, `handoff:answer.${a}`) })).join(""),
            code: codeName(ctx.pseudonym),
            phone: f.handoff_mode === "call" && phone ? this.t.t(language, "handoff:preview_phone", { phone }) + this.#callLine(f, language) : "",
          },
        });
        continue;
      }
      if (e.name === "handoff_create") {
        const professionalId = String(f.handoff_pro ?? "");
        const mode = f.handoff_mode === "call" ? "call" : "chat";
        const phone = this.#phone(f.handoff_phone);
        const created = await this.handoffs.create(
          db,
          {
            residentId: ctx.residentId,
            professionalId,
            topic: String(f.handoff_topic ?? "general"),
            language,
            mode,
            phone: mode === "call" ? phone : undefined,
            summary: { topic: String(f.handoff_topic ?? "general"), answers: this.#answers(state), ...(mode === "call" ? { call: this.#callSafety(f) } : {}) },
            reason: String(f.handoff_reason ?? ""),
          },
          ctx.afterCommit,
        );
        const name = String(f.handoff_name ?? "");
        const when = this.handoffs.when(created.acceptBy, language);
        events.push({ type: "message", key: mode === "chat" ? "handoff:sent_chat" : "handoff:sent_call", params: { name, when } });
        if (mode === "chat") write = { kind: "text", payload: encodePayload({ kind: "handoff", action: "reply", handoffId: created.id }), label: this.t.t(language, "handoff:write_button", { name }) };
        // Sent: the state keeps nothing of it (the handoff row has it; "write to them" finds the name again).
        for (const k of ["handoff_pro", "handoff_reason", "handoff_mode", "handoff_phone", "handoff_call_when", "handoff_call_identify", "handoff_name", "handoff_topic"]) delete f[k];
        continue;
      }
      if (e.name === "handoff_visit") {
        const view = typeof f.handoff_pro === "string" ? await this.handoffs.view(db, f.handoff_pro, language) : undefined;
        if (view?.walkIn) events.push({ type: "message", key: "handoff:visit", params: { name: view.name, organisation: view.organisation, walkin: view.walkIn } });
        else {
          events.push({ type: "message", key: "handoff:visit_unknown", params: { name: view?.name ?? "", organisation: view?.organisation ?? "" } });
          events.push({ type: "card", id: "wijkteam" });
        }
      }
    }
    if (write) events.push(alone({ type: "message", key: "common:choose_again", choices: [write] }));
    return { state, events };
  }

  /** What the resident chose about calls; missing answers (a conversation from before the question existed) mean any time, say nothing. */
  #callSafety(f: SessionState["fields"]): CallSafety {
    const when = CALL_TIMES.find((t) => t === f.handoff_call_when) ?? "any";
    return { when, identify: f.handoff_call_identify === "yes" };
  }

  #callLine(f: SessionState["fields"], language: string): string {
    const call = this.#callSafety(f);
    return this.t.t(language, "handoff:preview_call", {
      when: this.t.t(language, `handoff:call_${call.when}`),
      identify: this.t.t(language, call.identify ? "handoff:preview_identify_yes" : "handoff:preview_identify_no"),
    });
  }

  /** "Dutch, English and Turkish" in the resident's language. */
  #languageList(codes: readonly string[], language: string): string {
    const names = codes.map((c) => this.t.t(language, `common:lang.${c}`));
    if (names.length <= 1) return names.join("");
    return `${names.slice(0, -1).join(", ")}${this.t.t(language, "handoff:languages_and")}${names.at(-1)}`;
  }

  /** Answers from the flows that help the professional, and only those (the resident sees each). */
  #answers(state: SessionState): string[] {
    const burden = state.fields.burden;
    if (state.fields.handoff_topic === "care" && typeof burden === "number") {
      if (burden >= 6) return ["burden_high"];
      if (burden >= 3) return ["burden_medium"];
    }
    return [];
  }

  #phone(v: unknown): string | undefined {
    if (typeof v !== "string" || v === "") return undefined;
    return v.startsWith(ENCRYPTED) ? this.cipher.decrypt(v.slice(ENCRYPTED.length)) : v;
  }

  /** A typed phone number never rests in the session state as plain text (every step, whatever it asked). */
  settle(step: StepResult): StepResult {
    const seal = <T extends { handoff_phone?: unknown }>(fields: T): T => {
      const p = fields.handoff_phone;
      return typeof p === "string" && !p.startsWith(ENCRYPTED) ? { ...fields, handoff_phone: `${ENCRYPTED}${this.cipher.encrypt(p)}` } : fields;
    };
    // The fields, and the snapshots "back" keeps of them.
    const state: SessionState = {
      ...step.state,
      fields: seal(step.state.fields),
      history: step.state.history.map((h) => (h.fields ? { ...h, fields: seal(h.fields) } : h)),
    };
    return { state, events: step.events };
  }
}
