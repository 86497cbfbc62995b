import { parseArgs } from "node:util";
import { z } from "zod";
import { roleSchema, StaffAuth } from "../admin/staff-auth.js";
import { loadConfig } from "../config.js";
import { Cipher } from "../crypto/cipher.js";
import { resolveKeys } from "../crypto/keys.js";
import { openDatabase } from "../storage/database.js";

/**
 * `npm run admin:invite -- --email you@example.org --name "Your Name" [--role admin] [--organisation "Name"]`:
 * prints a one-time invitation link. This is how the first admin gets in; after that, admins invite
 * people from the panel.
 */
const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "admin" }, organisation: { type: "string" }, url: { type: "string" } },
});
const args = z
  .object({ email: z.email(), name: z.string().min(1), role: roleSchema, organisation: z.string().optional(), url: z.string().optional() })
  .safeParse(values);
if (!args.success) {
  console.error(`usage: npm run admin:invite -- --email you@example.org --name "Your Name" [--role admin|professional|keyfigure] [--organisation "Name"]\n${args.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  process.exit(2);
}
const config = loadConfig();
const { keys } = await resolveKeys(config);
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  let organisationId: string | null = null;
  if (args.data.organisation) {
    const org = await db.prisma.organisation.upsert({ where: { name: args.data.organisation }, create: { name: args.data.organisation, kind: "other" }, update: {} });
    organisationId = org.id;
  } else if (args.data.role === "keyfigure") {
    console.error("a key figure belongs to an organisation: add --organisation \"Name\"");
    process.exit(2);
  }
  const auth = new StaffAuth(db.prisma, new Cipher(keys.encryptionKey));
  const token = await auth.invite({ email: args.data.email, displayName: args.data.name, role: args.data.role, organisationId, createdById: null });
  const base = (args.data.url ?? config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, "");
  console.log(`One-time invitation for ${args.data.email} (${args.data.role}), valid for 7 days:\n  ${base}/admin/invite/${token}`);
} finally {
  await db.close();
}
