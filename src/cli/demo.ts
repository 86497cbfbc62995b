import { loadConfig } from "../config.js";
import { seedDemo, SetupError, type DemoResult } from "../admin/setup-actions.js";
import { openDatabase } from "../storage/database.js";
import { askRunning, NotRunningError, readControlFile } from "../http/control-file.js";
import { z } from "zod";

/**
 * `npm run demo`: a demo organisation, a demo professional linked to an account (so residents are
 * matched to them), a demo key figure and a demo coordinator, with fresh passwords printed once. Marked
 * DEMO everywhere; refused in production. Works while `npm start` runs (it asks the running server).
 */
const config = loadConfig();
if (config.env === "production") {
  console.error("npm run demo is for trying Naast out; it is refused in production (NODE_ENV=production).");
  process.exit(1);
}

const demoResultSchema = z.object({
  organisation: z.string(),
  accounts: z.array(z.object({ role: z.enum(["professional", "keyfigure", "coordinator"]), name: z.string(), email: z.string(), password: z.string() })),
});

function print(result: DemoResult): void {
  const width = Math.max(...result.accounts.map((a) => a.email.length));
  console.log(`Demo data for trying Naast out — marked DEMO, never for real residents.
  Organisation: ${result.organisation}
${result.accounts.map((a) => `  ${a.role.padEnd(12)} ${a.email.padEnd(width)}  password: ${a.password}   (${a.name})`).join("\n")}

Sign in at ${config.linkBase}/admin (a private window per person). The professional and the coordinator set
up a second step first (scan the QR code with an authenticator app). Then open ${config.linkBase}/chat,
choose a topic and "talk to someone": Sam is introduced. The README's "Try it in five minutes" walks the rest.
Running npm run demo again gives new passwords.`);
}

if (!config.databaseUrl) {
  const control = await readControlFile(config.dataDir);
  if (control) {
    try {
      const answer = await askRunning(control, "demo", {});
      const result = demoResultSchema.safeParse(answer.body);
      if (answer.status === 201 && result.success) {
        print(result.data);
        process.exit(0);
      }
      const body = answer.body && typeof answer.body === "object" && "error" in answer.body ? String(answer.body.error) : `HTTP ${answer.status}`;
      console.error(`the running Naast refused: ${body}`);
      process.exit(1);
    } catch (err) {
      if (!(err instanceof NotRunningError)) throw err;
    }
  }
}

const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  print(await seedDemo(db.prisma, false));
} catch (err) {
  if (!(err instanceof SetupError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await db.close();
}
