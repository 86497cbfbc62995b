import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { Cipher } from "../crypto/cipher.js";
import { resolveKeys } from "../crypto/keys.js";
import { inviteRequestSchema, inviteStaff, SetupError } from "../admin/setup-actions.js";
import { StaffAuth } from "../admin/staff-auth.js";
import { openDatabase } from "../storage/database.js";
import { askRunning, NotRunningError, readControlFile } from "../http/control-file.js";

/**
 * `npm run admin:invite -- --email you@example.org --name "Your Name" [--role admin|coordinator|professional|keyfigure|wijkregie] [--organisation "Name"]`:
 * prints a one-time invitation link. This is how the first admin gets in (a first start also prints a
 * first-admin link); after that, admins invite people from the panel. While `npm start` runs on the embedded
 * database it asks the running server (the database is that process's alone); otherwise it opens the database.
 */
const usage = `usage: npm run admin:invite -- --email you@example.org --name "Your Name" [--role admin|coordinator|professional|keyfigure|wijkregie] [--organisation "Name"]`;
let values;
try {
  values = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "admin" }, organisation: { type: "string" }, url: { type: "string" } } }).values;
} catch (err) {
  console.error(`${usage}\n  ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
const args = inviteRequestSchema.safeParse(values);
if (!args.success) {
  console.error(`${usage}\n${args.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  process.exit(2);
}
const config = loadConfig();
const print = (link: string) => console.log(`One-time invitation for ${args.data.email} (${args.data.role}), valid for 7 days:\n  ${link}`);

if (!config.databaseUrl) {
  const control = await readControlFile(config.dataDir);
  if (control) {
    try {
      const answer = await askRunning(control, "invite", args.data);
      const body = answer.body && typeof answer.body === "object" ? answer.body : {};
      if (answer.status === 201 && "link" in body && typeof body.link === "string") {
        print(values.url ? body.link.replace(/^https?:\/\/[^/]+/, values.url.replace(/\/+$/, "")) : body.link);
        process.exit(0);
      }
      console.error(`the running Naast refused: ${"error" in body ? String(body.error) : `HTTP ${answer.status}`}`);
      process.exit(1);
    } catch (err) {
      if (!(err instanceof NotRunningError)) throw err;
      // A control file left by a Naast that stopped: open the database ourselves.
    }
  }
}

const { keys } = await resolveKeys(config);
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const auth = new StaffAuth(db.prisma, new Cipher(keys.encryptionKey));
  const token = await inviteStaff(db.prisma, auth, args.data);
  const base = (values.url ?? config.linkBase).replace(/\/+$/, "");
  print(`${base}/admin/invite/${token}`);
} catch (err) {
  if (!(err instanceof SetupError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await db.close();
}
