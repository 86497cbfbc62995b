import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../config.js";
import { BackupError, restoreEmbedded } from "../storage/embedded-backup.js";

/**
 * `npm run restore -- <backup file> [--force]`: puts a backup made by `npm run backup` into DATA_DIR
 * (set DATA_DIR to restore elsewhere). Refuses while Naast runs there and refuses to overwrite
 * existing data unless --force, which moves the old data aside instead of deleting it.
 */
const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error("usage: npm run restore -- <backup file> [--force]");
  process.exit(2);
}
const config = loadConfigOrExit();
if (config.databaseUrl) {
  console.error("DATABASE_URL is set: restore PostgreSQL with pg_restore (README, \"Backups\"). This command restores the embedded database.");
  process.exit(2);
}
try {
  const manifest = await restoreEmbedded({ file, dataDir: config.dataDir, force: values.force ?? false });
  const c = manifest.counts;
  console.log(`Restored the backup of ${manifest.createdAt} into ${path.resolve(config.dataDir)}`);
  console.log(`  ${c.resident} residents, ${c.handoff} cases, ${c.activity} activities: all rows counted and matching the backup`);
  if (manifest.keys === "environment") console.log("!  The keys were not in the backup: set the same PSEUDONYM_KEY and ENCRYPTION_KEY as before, or the data cannot be read.");
  console.log("Start Naast as usual (npm start).");
} catch (err) {
  if (err instanceof BackupError) {
    console.error(`restore: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
