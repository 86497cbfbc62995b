import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const keyFileSchema = z.object({
  pseudonymKey: z.string().regex(/^[0-9a-f]{64}$/),
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The two secrets that make residents pseudonymous and their addresses unreadable. */
export type Keys = z.infer<typeof keyFileSchema>;

/**
 * Uses the configured keys, or, on the embedded default, loads them from `DATA_DIR/keys.json`,
 * creating that file once with owner-only permissions (0600). Losing the file makes stored
 * addresses unreadable and every resident a stranger, so back it up with the data.
 */
export async function resolveKeys(opts: {
  dataDir: string;
  pseudonymKey: string | undefined;
  encryptionKey: string | undefined;
}): Promise<{ keys: Keys; generated: boolean; file: string | undefined }> {
  if (opts.pseudonymKey && opts.encryptionKey) {
    return {
      keys: { pseudonymKey: opts.pseudonymKey.toLowerCase(), encryptionKey: opts.encryptionKey.toLowerCase() },
      generated: false,
      file: undefined,
    };
  }
  const file = path.resolve(opts.dataDir, "keys.json");
  let stored: Keys | undefined;
  try {
    stored = keyFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (err) {
    if (!(err instanceof Error && "code" in err && err.code === "ENOENT")) {
      throw new Error(`keys file ${file} is unreadable or malformed: ${String(err)}`);
    }
  }
  let generated = false;
  if (!stored) {
    stored = { pseudonymKey: randomBytes(32).toString("hex"), encryptionKey: randomBytes(32).toString("hex") };
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    generated = true;
  }
  await chmod(file, 0o600);
  return {
    keys: {
      pseudonymKey: opts.pseudonymKey?.toLowerCase() ?? stored.pseudonymKey,
      encryptionKey: opts.encryptionKey?.toLowerCase() ?? stored.encryptionKey,
    },
    generated,
    file,
  };
}
