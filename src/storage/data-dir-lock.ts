import { hostname } from "node:os";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** The file that says which process has the embedded database open. */
export const LOCK_FILE = "naast.pid";

const lockSchema = z.object({ pid: z.number().int().positive(), host: z.string(), since: z.string() });
type Lock = z.infer<typeof lockSchema>;

/** Another live process has this data folder open. */
export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(readonly dataDir: string, readonly holder: Lock) {
    super(`${dataDir} is in use by Naast process ${holder.pid} (since ${holder.since}); stop it first`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return err instanceof Error && "code" in err && err.code === "EPERM";
  }
}

/**
 * The process holding `dataDir`, if one is alive. A lock written on another host (a container that
 * has since been replaced) or by a process that is gone is stale and ignored.
 */
export async function dataDirHolder(dataDir: string): Promise<Lock | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, LOCK_FILE), "utf8");
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined; // half-written by a process that died: nobody holds it
  }
  const parsed = lockSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const lock = parsed.data;
  if (lock.host !== hostname() || lock.pid === process.pid || !alive(lock.pid)) return undefined;
  return lock;
}

/**
 * Marks `dataDir` as open by this process, so a second Naast, a backup or a restore does not open
 * the same embedded database (PGlite is one process's database: two would overwrite each other's
 * pages). Throws DataDirBusyError when a live process holds it. Returns a function that releases it.
 */
export async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const holder = await dataDirHolder(dataDir);
  if (holder) throw new DataDirBusyError(dataDir, holder);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  const lock: Lock = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(lock)}\n`, { mode: 0o600 });
  return async () => {
    const current = await readFile(file, "utf8").catch(() => "");
    if (current.includes(`"pid":${process.pid},`)) await rm(file, { force: true });
  };
}
