import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ROOT_DIR } from "./load-content.js";
import { DIRECTORY_AREAS } from "./vocabulary.js";

/** One organisation or place the flows point residents to. Texts that need translating live in locales/<lang>/directory.json. */
export const directoryEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1).max(80),
    kind: z.enum(["emergency", "helpline", "municipality", "social-work", "health", "food", "housing", "meeting", "parenting", "care", "youth", "other"]),
    topics: z.array(z.string().regex(/^[a-z-]+$/)).min(1),
    address: z.string().max(120).optional(),
    phone: z.string().max(40).optional(),
    website: z.url().optional(),
    neighbourhoods: z.array(z.enum(DIRECTORY_AREAS)).min(1),
    /** Languages staff speak there (our codes). */
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).default([]),
    /** True for entries whose address, phone or hours could not be verified: example data to replace before going live. */
    example: z.boolean(),
    /** Where the facts come from, for the municipality's reviewer. */
    source: z.string().max(200).optional(),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

export const directorySchema = z.array(directoryEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `directory id ${e.id} is used twice` });
    seen.add(e.id);
  });
});

/** The one data file of organisations and places. */
export const DIRECTORY_FILE = path.join(ROOT_DIR, "directory", "places.yaml");

/** Reads and validates the directory; throws naming the entry on a schema error. */
export async function loadDirectory(file: string = DIRECTORY_FILE): Promise<Map<string, DirectoryEntry>> {
  const parsed = directorySchema.safeParse(parseYaml(await readFile(file, "utf8")));
  if (!parsed.success) {
    throw new Error(`${path.relative(ROOT_DIR, file)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return new Map(parsed.data.map((e) => [e.id, e]));
}
