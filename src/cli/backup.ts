import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../config.js";
import { BackupError, backupEmbedded } from "../storage/embedded-backup.js";

/**
 * `npm run backup [-- --out <file>]`: one file with a consistent copy of the embedded database and the
 * keys file (default `backups/naast-backup-<UTC time>.tar`). Stop Naast first: the embedded database
 * belongs to one process. With DATABASE_URL set, back up PostgreSQL with pg_dump instead (README).
 */
const { values } = parseArgs({ options: { out: { type: "string" } } });
const config = loadConfigOrExit();
if (config.databaseUrl) {
  console.error("DATABASE_URL is set: this Naast keeps its data in PostgreSQL. Back it up with pg_dump, and keep PSEUDONYM_KEY and ENCRYPTION_KEY with it (README, \"Backups\").");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "");
const out = values.out ?? path.join("backups", `naast-backup-${stamp}.tar`);
const keysFromEnvironment = Boolean(config.pseudonymKey && config.encryptionKey);
try {
  const manifest = await backupEmbedded({ dataDir: config.dataDir, out, keysFromEnvironment });
  const c = manifest.counts;
  console.log(`Backup written to ${path.resolve(out)}`);
  console.log(`  ${c.resident} residents, ${c.handoff} cases, ${c.activity} activities; ${manifest.migrations.length} migrations`);
  console.log("");
  if (manifest.keys === "included") {
    console.log("!  This file holds keys.json, the keys that make residents' addresses and messages readable.");
    console.log("!  Keep it like a password: on an encrypted disk, never by e-mail. Without these keys a restore is");
    console.log("!  useless: stored addresses cannot be read and every resident would be a stranger to Naast.");
  } else {
    console.log("!  The keys are not in this file: they are set as PSEUDONYM_KEY and ENCRYPTION_KEY.");
    console.log("!  Keep them safe with this backup; without them it cannot be read.");
  }
  console.log(`Restore with: npm run restore -- ${path.resolve(out)}`);
} catch (err) {
  if (err instanceof BackupError) {
    console.error(`backup: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
