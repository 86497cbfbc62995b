import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { create as createTar, list as listTar } from "tar";
import { z } from "zod";
import { pgliteStartParams } from "./database.js";
import { DataDirBusyError, dataDirHolder } from "./data-dir-lock.js";

/** What a backup says about itself, checked again after a restore. */
export const manifestSchema = z.object({
  format: z.literal("naast-embedded-backup"),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  /** Migrations applied to the data, newest last: a restore into an older Naast is refused by it at start. */
  migrations: z.array(z.string()),
  /** Rows per table when the backup was made. */
  counts: z.record(z.string(), z.number().int().min(0)),
  /** `included`: keys.json is in the backup; `environment`: the keys were set as variables and are not. */
  keys: z.enum(["included", "environment"]),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** Tables whose row counts a backup records and a restore compares. */
export const COUNTED_TABLES = ["resident", "conversation", "handoff", "handoff_message", "activity", "subscription", "consent_record", "broadcast", "outbound_message", "staff_user", "professional", "organisation"] as const;

const MANIFEST = "manifest.json";
const DATA = "pglite.tar.gz";
const KEYS = "keys.json";

/** A backup could not be made or restored; the message says why and what to do. */
export class BackupError extends Error {
  override name = "BackupError";
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function countRows(db: PGlite): Promise<{ migrations: string[]; counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    // Raw SQL: table names cannot be parameters; they come from the fixed list above.
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = r.rows[0]?.n ?? 0;
  }
  const m = await db.query<{ name: string }>(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`);
  return { migrations: m.rows.map((r) => r.name), counts };
}

async function refuseIfRunning(dataDir: string): Promise<void> {
  const holder = await dataDirHolder(dataDir);
  if (holder) throw new BackupError(new DataDirBusyError(dataDir, holder).message + " (a copy taken while Naast writes would not be consistent)");
}

/**
 * Writes one file (a tar) holding a consistent copy of the embedded database (PGlite's own dump of
 * its data folder, made while no other process has it open), the keys file when the keys live in
 * DATA_DIR, and a manifest with migrations and row counts. Refuses while Naast runs on `dataDir`.
 */
export async function backupEmbedded(opts: { dataDir: string; out: string; keysFromEnvironment: boolean }): Promise<BackupManifest> {
  const dataDir = path.resolve(opts.dataDir);
  const pgdata = path.join(dataDir, "pglite");
  if (!(await exists(path.join(pgdata, "PG_VERSION")))) throw new BackupError(`no embedded database in ${pgdata}: nothing to back up (with DATABASE_URL set, use pg_dump; see README "Backups")`);
  await refuseIfRunning(dataDir);
  const keysFile = path.join(dataDir, KEYS);
  const keysIncluded = !opts.keysFromEnvironment && (await exists(keysFile));
  if (!opts.keysFromEnvironment && !keysIncluded) throw new BackupError(`${keysFile} is missing: without the keys the data cannot be read, so a backup of it would be useless`);

  const work = await mkdtemp(path.join(tmpdir(), "naast-backup-"));
  try {
    const db = await PGlite.create(pgdata, { startParams: pgliteStartParams() });
    let manifest: BackupManifest;
    try {
      const { migrations, counts } = await countRows(db);
      manifest = { format: "naast-embedded-backup", version: 1, createdAt: new Date().toISOString(), migrations, counts, keys: keysIncluded ? "included" : "environment" };
      const dump = await db.dumpDataDir("gzip");
      await writeFile(path.join(work, DATA), Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    } finally {
      await db.close();
    }
    await writeFile(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    if (keysIncluded) await writeFile(path.join(work, KEYS), await readFile(keysFile), { mode: 0o600 });
    const out = path.resolve(opts.out);
    await mkdir(path.dirname(out), { recursive: true });
    const partial = `${out}.partial-${randomBytes(4).toString("hex")}`;
    await createTar({ file: partial, cwd: work, portable: true, mode: 0o600 }, [MANIFEST, DATA, ...(keysIncluded ? [KEYS] : [])]);
    await rename(partial, out);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads the three known members of a backup into memory; anything else in the file is refused. */
async function readBackup(file: string): Promise<{ manifest: BackupManifest; data: Buffer; keys: Buffer | undefined }> {
  const members = new Map<string, Buffer>();
  const unexpected: string[] = [];
  try {
    await listTar({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (entry.type !== "File" || ![MANIFEST, DATA, KEYS].includes(entry.path)) {
          unexpected.push(entry.path);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on("data", (c: Buffer) => chunks.push(c));
        entry.on("end", () => members.set(entry.path, Buffer.concat(chunks)));
      },
    });
  } catch (err) {
    throw new BackupError(`${file} is not a Naast backup (${err instanceof Error ? err.message : String(err)})`);
  }
  if (unexpected.length > 0) throw new BackupError(`${file} holds entries a Naast backup does not have: ${unexpected.slice(0, 5).join(", ")}`);
  const rawManifest = members.get(MANIFEST);
  const data = members.get(DATA);
  if (!rawManifest || !data) throw new BackupError(`${file} is not a Naast backup: ${MANIFEST} or ${DATA} is missing`);
  let json: unknown;
  try {
    json = JSON.parse(rawManifest.toString("utf8"));
  } catch {
    throw new BackupError(`${file}: ${MANIFEST} is not JSON`);
  }
  const manifest = manifestSchema.safeParse(json);
  if (!manifest.success) throw new BackupError(`${file}: ${MANIFEST} is not a Naast backup manifest (${manifest.error.issues[0]?.message ?? "invalid"})`);
  const keys = members.get(KEYS);
  if (manifest.data.keys === "included" && !keys) throw new BackupError(`${file}: the manifest says keys.json is included, but it is not`);
  return { manifest: manifest.data, data, keys };
}

/**
 * Restores a backup into `dataDir`: the database into `dataDir/pglite` and keys.json beside it.
 * Refuses while Naast runs there, and refuses to overwrite existing data unless `force`, in which
 * case the old data and keys are moved aside (`*.before-restore-<time>`), never deleted. Checks the
 * restored row counts against the manifest before returning.
 */
export async function restoreEmbedded(opts: { file: string; dataDir: string; force: boolean }): Promise<BackupManifest> {
  const { manifest, data, keys } = await readBackup(path.resolve(opts.file));
  const dataDir = path.resolve(opts.dataDir);
  await refuseIfRunning(dataDir);
  const pgdata = path.join(dataDir, "pglite");
  const keysFile = path.join(dataDir, KEYS);
  const occupied = [(await exists(pgdata)) ? pgdata : undefined, (await exists(keysFile)) && keys ? keysFile : undefined].filter((p): p is string => p !== undefined);
  if (occupied.length > 0 && !opts.force) throw new BackupError(`${occupied.join(" and ")} already exist: restore into an empty DATA_DIR, or add --force to move them aside first`);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  for (const p of occupied) await rename(p, `${p.replace(/\.json$/, "")}.before-restore-${stamp}${p.endsWith(".json") ? ".json" : ""}`);

  await mkdir(pgdata, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(pgdata, { loadDataDir: new Blob([new Uint8Array(data)]), startParams: pgliteStartParams() });
  try {
    const restored = await countRows(db);
    const differing = Object.entries(manifest.counts).filter(([table, n]) => restored.counts[table] !== n);
    if (differing.length > 0) throw new BackupError(`restored data does not match the backup: ${differing.map(([t, n]) => `${t} ${restored.counts[t]} ≠ ${n}`).join(", ")}`);
  } finally {
    await db.close();
  }
  if (keys) await writeFile(keysFile, keys, { mode: 0o600, flag: "wx" });
  return manifest;
}
