import { createServer } from "node:http";
import { ConfigError, loadConfig } from "./config.js";
import { ContentError } from "./content/load-content.js";
import { createLogger } from "./logger.js";
import { createNaast } from "./naast.js";
import { removeControlFile, writeControlFile } from "./http/control-file.js";

/** Composition root: reads the environment, starts Naast, and closes everything on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let naast;
  try {
    naast = await createNaast(config, log);
  } catch (err) {
    if (err instanceof ContentError) {
      console.error(err.message);
      process.exit(65);
    }
    throw err;
  }
  for (const note of naast.notes) log.info(note);

  const server = createServer(naast.app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  log.info(`Naast is listening on port ${port}. Chat with it at ${base}/chat`);
  if (process.stdout.isTTY) console.log(`\n  Naast is running. Open ${base}/chat to chat with it.\n`);

  // With the embedded database only this process may open it: the command line asks it instead.
  const embedded = !config.databaseUrl;
  if (embedded) await writeControlFile(config.dataDir, { pid: process.pid, port, token: naast.controlToken });

  // No admin yet: a one-time link to create the first one (a new one at every start until then). Not in
  // production, where logs are kept elsewhere: there `npm run admin:invite` makes the first invitation.
  if (config.env !== "production") {
    const first = await naast.staffAuth.firstAdminInvite();
    if (first) {
      const link = `${config.linkBase}/admin/invite/${first}`;
      log.info("no admin account yet: open the first-admin link printed on the console (valid 7 days, or until an admin exists)");
      console.log(`\n  No admin account yet. Create the first one here (one-time link, valid 7 days):\n  ${link}\n  Trying Naast out? \`npm run demo\` adds a demo organisation, professional and key figure.\n`);
    }
  } else if ((await naast.db.prisma.staffUser.count({ where: { role: "admin" } })) === 0) {
    log.warn("no admin account yet: run `npm run admin:invite -- --email you@example.org --name \"Your Name\"`");
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: no new requests, finishing running jobs");
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    server.close();
    server.closeIdleConnections();
    if (embedded) await removeControlFile(config.dataDir, naast.controlToken).catch(() => undefined);
    await naast.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

await main();
