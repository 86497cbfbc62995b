import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { Content } from "./content.js";
import type { DirectoryEntry } from "./directory.js";
import { isLanguage, LANGUAGES } from "./vocabulary.js";

/** National numbers whose entries only change in the file, by review: a typo here would cost a life. */
export const LOCKED_KINDS: ReadonlySet<DirectoryEntry["kind"]> = new Set(["emergency", "helpline"]);

const textsSchema = z.record(z.string(), z.object({ what: z.string(), when: z.string().optional() }));

/** What an admin may change about an entry. */
export const directoryEditSchema = z.object({
  name: z.string().trim().min(1).max(80),
  address: z.string().trim().max(120).optional(),
  phone: z.string().trim().regex(/^[0-9 +()-]{3,40}$/).optional(),
  website: z.url({ protocol: /^https?$/ }).max(200).optional(),
  languages: z.array(z.enum(LANGUAGES)).max(LANGUAGES.length),
  example: z.boolean(),
  texts: textsSchema.refine((t) => (t.nl?.what ?? "").trim().length > 0, { message: "the Dutch description is required" }),
});
export type DirectoryEdit = z.infer<typeof directoryEditSchema>;

/**
 * Panel corrections of directory entries, stored in the database and laid over directory/places.yaml
 * and locales/<lang>/directory.json. Applied at start-up, at once in the process that saves, and by
 * `refresh` in the others (every recovery sweep).
 */
export class DirectoryOverrides {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly content: Content,
    private readonly log: Logger,
  ) {}

  /** The file's own entries, before any correction: what "example" and locked mean. */
  readonly #base = new Map<string, DirectoryEntry>();

  baseOf(id: string): DirectoryEntry | undefined {
    if (this.#base.size === 0) for (const [k, v] of this.content.directory) this.#base.set(k, v);
    return this.#base.get(id);
  }

  async refresh(): Promise<number> {
    const rows = await this.prisma.directoryOverride.findMany();
    for (const r of rows) this.#apply(r.id, { name: r.name, address: r.address ?? undefined, phone: r.phone ?? undefined, website: r.website ?? undefined, languages: r.languages.filter(isLanguage), example: r.example, texts: textsSchema.parse(r.texts) });
    return rows.length;
  }

  async save(id: string, edit: DirectoryEdit, by: string): Promise<void> {
    const base = this.baseOf(id);
    if (!base || LOCKED_KINDS.has(base.kind)) throw new Error(`directory › ${id}: not editable in the panel`);
    const data = { name: edit.name, address: edit.address ?? null, phone: edit.phone ?? null, website: edit.website ?? null, languages: edit.languages, example: edit.example, texts: edit.texts, updatedById: by };
    await this.prisma.directoryOverride.upsert({ where: { id }, create: { id, ...data }, update: data });
    this.#apply(id, edit);
    this.log.info({ entry: id }, "directory entry changed in the panel");
  }

  #apply(id: string, edit: DirectoryEdit): void {
    const base = this.baseOf(id);
    if (!base || LOCKED_KINDS.has(base.kind)) return;
    const entry: DirectoryEntry = { ...base, name: edit.name, languages: edit.languages, example: edit.example };
    for (const k of ["address", "phone", "website"] as const) {
      const v = edit[k];
      if (v) entry[k] = v;
      else delete entry[k];
    }
    this.content.directory.set(id, entry);
    for (const [language, t] of Object.entries(edit.texts)) {
      if (!(LANGUAGES as readonly string[]).includes(language)) continue;
      if (t.what.trim()) this.content.translator.set(language, `directory:${id}.what`, t.what.trim());
      if (t.when?.trim()) this.content.translator.set(language, `directory:${id}.when`, t.when.trim());
    }
  }
}
