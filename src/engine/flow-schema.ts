import { z } from "zod";

/** Lower-case ids with dashes: flow ids, node ids, choice ids. Short, so payloads fit Telegram's 64 bytes. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,23}$/, "ids are lower-case letters, digits and dashes, at most 24 characters");

/** An i18n key in the flow's own namespace (`intro`) or another (`common:menu`). */
export const textKeySchema = z.string().regex(/^([a-z0-9-]+:)?[a-z0-9_.]+$/, "i18n keys look like `intro` or `common:menu`");

/** Names of per-resident fields set by flows. `language` and `neighbourhood` are also kept on the resident. */
export const fieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "field names are lower_snake_case");

/**
 * Where an exit goes, as used after load: a node of this flow, the start (or a node) of another flow, `end`
 * (back to whoever started this flow, else the menu) or `stop` (the conversation is over and nothing more is
 * said, as after erasure). Whether entering a flow remembers where the resident was is the flow's own
 * `returns`, not the exit's.
 */
export const exitSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("node"), node: z.string() }),
  z.object({ kind: z.literal("flow"), flow: z.string(), node: z.string().optional() }),
  z.object({ kind: z.literal("end") }),
  z.object({ kind: z.literal("stop") }),
]);
/** Where an exit goes, tagged by `kind`. */
export type Exit = z.infer<typeof exitSchema>;

const EXIT_FORMS = "an exit is a node id, `@flow`, `@flow/node`, `end` or `stop`";
const NAME = "[a-z0-9][a-z0-9-]*";
const FLOW_EXIT = new RegExp(`^@(${NAME})(?:/(${NAME}))?$`);
const NODE_EXIT = new RegExp(`^${NAME}$`);

/** The exit written as `text`, or undefined when it is none of the forms. */
export function parseExit(text: string): Exit | undefined {
  if (text === "end") return { kind: "end" };
  if (text === "stop") return { kind: "stop" };
  const f = FLOW_EXIT.exec(text);
  if (f) return f[2] === undefined ? { kind: "flow", flow: f[1]! } : { kind: "flow", flow: f[1]!, node: f[2] };
  return NODE_EXIT.test(text) ? { kind: "node", node: text } : undefined;
}

/** An exit as it is written in a flow file (for messages). */
export function exitText(exit: Exit): string {
  switch (exit.kind) {
    case "node":
      return exit.node;
    case "flow":
      return `@${exit.flow}${exit.node === undefined ? "" : `/${exit.node}`}`;
    case "end":
    case "stop":
      return exit.kind;
  }
}

/**
 * An exit as written in YAML (`ask-debt`, `@menu`, `@menu/topics`, `end`, `stop`), parsed at load into an
 * `Exit`, so nothing later takes strings apart. A malformed exit is reported with its text.
 */
export const targetSchema = z.string().transform((text, ctx): Exit => {
  const exit = parseExit(text);
  if (exit) return exit;
  // `continue`: the node's and flow's own checks (one of wait/branch/go, ids used twice) are still reported.
  ctx.addIssue({ code: "custom", message: `exit '${text}': ${EXIT_FORMS}`, continue: true });
  return z.NEVER;
});

const scalarSchema = z.union([z.string().max(200), z.number(), z.boolean()]);

/** Durations like `30m`, `12h`, `2d`. */
export const durationSchema = z.string().regex(/^\d+[smhd]$/, "durations look like 30m, 12h or 2d");

/** Milliseconds in a duration string. */
export function durationMs(d: string): number {
  const n = Number(d.slice(0, -1));
  const unit = d.slice(-1);
  const factor = unit === "s" ? 1_000 : unit === "m" ? 60_000 : unit === "h" ? 3_600_000 : 86_400_000;
  return n * factor;
}

const paramsSchema = z.record(z.string().regex(/^[a-zA-Z_]+$/), z.string().max(200));

/** The name of a request a flow hands to the service around the engine (`handoff`, `subscribe`). */
export const requestNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "request names are lower_snake_case");

/** The one request the engine answers itself: the safety message is shown (once a step). */
export const EMERGENCY_REQUEST = "emergency";

/**
 * Things a node does on entry, in order. The YAML shorthands (`say: intro`, `set: x` with `value`, `clear: x`,
 * `show: place`, `emit: name`) are parsed into a union tagged by `kind`, so nothing later has to guess from
 * which key is present.
 */
export const actionSchema = z.union([
  z
    .object({ say: textKeySchema, params: paramsSchema.optional() })
    .strict()
    .transform((a) => ({ kind: "say" as const, ...a })),
  z
    .object({ set: fieldNameSchema, value: scalarSchema })
    .strict()
    .transform((a) => ({ kind: "set" as const, ...a })),
  z
    .object({ clear: fieldNameSchema })
    .strict()
    .transform((a) => ({ kind: "clear" as const, ...a })),
  /** Shows a directory entry (organisation or place) as a card: name, what, when, where, how to reach. */
  z
    .object({ show: z.string().regex(/^[a-z0-9-]+$/) })
    .strict()
    .transform((a) => ({ kind: "show" as const, ...a })),
  /**
   * Hands a request to the service around the engine: the engine emits `{ type: "requested", name, args }` and
   * knows nothing of what it means; a desk declares the names it handles (`npm run flows:check` fails on a
   * name nobody handles). `emit: emergency` is the engine's own: the safety message, once a step.
   */
  z
    .object({
      emit: requestNameSchema,
      /** Arguments of the request: a value, or `$field` for a field's value (left out when the field is not set). */
      args: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), scalarSchema).optional(),
      /**
       * The fields whose names start with this prefix go with the request as arguments (without the prefix),
       * and are forgotten: the answers of a guided flow, handed over once.
       */
      collect: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/).optional(),
      /** The request only reads and shows what it read: told again when the question after it is retold in full. */
      rereads: z.boolean().default(false),
    })
    .strict()
    .transform((a) =>
      a.emit === EMERGENCY_REQUEST
        ? { kind: "emergency" as const }
        : { kind: "emit" as const, emit: a.emit, args: a.args ?? {}, rereads: a.rereads, ...(a.collect ? { collect: a.collect } : {}) },
    ),
]);
/** What a node does on entry, tagged by `kind`. */
export type Action = z.infer<typeof actionSchema>;
/** A request for the service around the engine, as written in a flow. */
export type EmitAction = Extract<Action, { kind: "emit" }>;

export const choiceSchema = z
  .object({
    id: idSchema,
    label: textKeySchema,
    go: targetSchema,
    /** Fields set when this choice is taken. */
    set: z.record(fieldNameSchema, scalarSchema).optional(),
    /** Numbers added to fields when this choice is taken (a score, say). */
    add: z.record(fieldNameSchema, z.number()).optional(),
  })
  .strict();
export type Choice = z.infer<typeof choiceSchema>;

/** A router that waits for the resident. */
export const waitSchema = z
  .object({
    choices: z.array(choiceSchema).min(1).max(30).optional(),
    /** Accept any typed text, store it in a field (never required for a flow to move on). */
    text: z
      .object({
        save: fieldNameSchema.optional(),
        go: targetSchema,
        /** Only text matching this regular expression is taken (a date, a time); anything else is a miss. */
        pattern: z
          .string()
          .max(200)
          .refine((p) => {
            try {
              new RegExp(p, "u");
              return true;
            } catch {
              return false;
            }
          }, "not a valid regular expression")
          .optional(),
        /** What to say on a miss instead of "I did not understand" (an example of the expected text). */
        invalid: textKeySchema.optional(),
      })
      .strict()
      .optional(),
    /** Where unmatched input goes; without it the bot says it did not understand and asks again. */
    other: targetSchema.optional(),
    /** Taken when the resident comes back after this long (checked when they write; never sends first). */
    timeout: z.object({ after: durationSchema, go: targetSchema }).strict().optional(),
  })
  .strict()
  .refine((w) => w.choices !== undefined || w.text !== undefined, { message: "a wait needs choices or text" });
export type Wait = z.infer<typeof waitSchema>;

/** A router that does not wait: picks an exit from a field's value. */
export const branchSchema = z
  .object({
    field: fieldNameSchema,
    cases: z
      .array(
        z
          .object({
            equals: scalarSchema.optional(),
            exists: z.boolean().optional(),
            gte: z.number().optional(),
            lte: z.number().optional(),
            go: targetSchema,
          })
          .strict(),
      )
      .min(1),
    default: targetSchema,
  })
  .strict();
export type Branch = z.infer<typeof branchSchema>;

/**
 * A question asked at most once a visit (see `visitSchema` in session-state.ts), whichever flow asks it:
 * nodes that share a `key` count as the same question; when it was asked already, the node is skipped
 * (its actions are not run) and `else` is taken.
 */
export const onceSchema = z.object({ key: z.string().regex(/^[a-z0-9-]{1,40}$/), else: targetSchema }).strict();

export const nodeSchema = z
  .object({
    id: idSchema,
    once: onceSchema.optional(),
    /** Something happened here that "back" must not undo (a request was sent): "back" skips this flow's earlier questions. */
    final: z.boolean().optional(),
    actions: z.array(actionSchema).default([]),
    wait: waitSchema.optional(),
    branch: branchSchema.optional(),
    go: targetSchema.optional(),
  })
  .strict()
  .refine((n) => [n.wait, n.branch, n.go].filter((x) => x !== undefined).length <= 1, {
    message: "a node has at most one of wait, branch and go",
  });
export type FlowNode = z.infer<typeof nodeSchema>;

export const flowSchema = z
  .object({
    flow: idSchema,
    /** Shown in the flow map for reviewers. */
    title: z.string().max(120).optional(),
    /** Default i18n namespace for this flow's keys; defaults to the flow id. */
    namespace: z.string().regex(/^[a-z0-9-]+$/).optional(),
    /** Ask for the safety choice (SOS) under this flow's questions; on by default. */
    safetyChoice: z.boolean().default(true),
    /** Entering this flow remembers where the resident was, and `end` takes them back there (language, safety). */
    returns: z.boolean().default(false),
    /**
     * When this (returning) flow ends, the place it returns to is told again in full: the advice said on
     * the way to that question as well as the question (the language flow: everything again in the new language).
     */
    retell: z.boolean().default(false),
    /** The handoff topic when the resident asks to talk to someone from here ("money", "care"); default "general". */
    topic: z.string().regex(/^[a-z-]+$/).optional(),
    /**
     * Whether typed text here is read for hints and topics. Off where text is data for others (a key
     * figure's activity description); danger and crisis are still recognised everywhere.
     */
    readsSignals: z.boolean().default(true),
    /**
     * The path through this flow says something about the resident's home life (relationships, safety, a
     * handoff): once they leave it, the stored state forgets they were here, with the fields it uses and the
     * fields named after it (`handoff_*` for `handoff`). See src/conversation/forget-sensitive-path.ts.
     */
    sensitive: z.boolean().default(false),
    nodes: z.array(nodeSchema).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.nodes.forEach((n, i) => {
      if (seen.has(n.id)) ctx.addIssue({ code: "custom", path: ["nodes", i, "id"], message: `node id ${n.id} is used twice` });
      seen.add(n.id);
      const ids = new Set<string>();
      n.wait?.choices?.forEach((c, j) => {
        if (ids.has(c.id)) ctx.addIssue({ code: "custom", path: ["nodes", i, "wait", "choices", j, "id"], message: `choice id ${c.id} is used twice` });
        ids.add(c.id);
      });
    });
  });

/** One conversation flow, as written in `flows/<id>.yaml`. The first node is where it starts. */
export type Flow = z.infer<typeof flowSchema>;
