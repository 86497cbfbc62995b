import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** The file in DATA_DIR through which `npm run admin:invite` and `npm run demo` find the running Naast. */
export const CONTROL_FILE = "control.json";

export const controlFileSchema = z.object({ pid: z.number().int().positive(), port: z.number().int().min(1).max(65535), token: z.string().regex(/^[0-9a-f]{64}$/) });
/** Where the running Naast listens and the token that proves a caller can read the data folder. */
export type ControlFile = z.infer<typeof controlFileSchema>;

/** A fresh token for the control file (32 random bytes, hex). */
export function newControlToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Writes the control file, owner-only (0600), atomically (a reader never sees half a file). Only the
 * owner of the data folder can read the token, so only they can ask the running server for an invitation.
 */
export async function writeControlFile(dataDir: string, control: ControlFile): Promise<void> {
  const file = path.join(dataDir, CONTROL_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(control)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** The control file, if there is a valid one (it may be stale: the caller finds out by asking). */
export async function readControlFile(dataDir: string): Promise<ControlFile | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, CONTROL_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = controlFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the control file if it is still this process's (a newer Naast may have replaced it). */
export async function removeControlFile(dataDir: string, token: string): Promise<void> {
  const current = await readControlFile(dataDir);
  if (current?.token === token) await rm(path.join(dataDir, CONTROL_FILE), { force: true });
}

/** Nothing answers at the control file's port: a Naast that stopped without cleaning up. */
export class NotRunningError extends Error {
  override name = "NotRunningError";
}

/**
 * Asks the running Naast (on the loopback, with the control file's token) to do `action`. Throws
 * NotRunningError when nothing listens there; otherwise returns the answer's status and JSON body.
 */
export async function askRunning(control: ControlFile, action: "invite" | "demo", body: unknown): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${control.port}/internal/cli/${action}`, {
      method: "POST",
      headers: { authorization: `Bearer ${control.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new NotRunningError(`no Naast answers on port ${control.port}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: json };
}
