import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import v8 from "node:v8";
import { loadConfigOrExit, type Config } from "./config.js";

/**
 * V8 flags for a small machine, set before the rest of Naast is loaded (LOW_MEMORY, on unless false).
 * WebAssembly (PGlite, Prisma's query compiler) stays on the baseline compiler: the optimising tier adds
 * ~60 MB of code and compiler memory that is never given back, for no measurable gain per message. The
 * heap is kept small (`--optimize-for-size`): with PostgreSQL that is 137 MB instead of ~175 MB after
 * start, and a burst of 10,000 residents otherwise grew it by ~200 MB, at the price of ~30 % more CPU per
 * message during such a burst. A deployment that is short of CPU, not memory, sets LOW_MEMORY=false.
 */
function tuneV8(config: Config): void {
  if (config.lowMemory === false) return;
  v8.setFlagsFromString("--liftoff-only");
  v8.setFlagsFromString("--optimize-for-size");
}

/**
 * Start-up (migrations checked, flows and locales parsed and validated, the word index built) leaves
 * ~50 MB of garbage on the heap that V8, under no pressure, keeps for minutes, so the process would
 * look (and be) 50 MB heavier than it is. One full collection shortly after Naast listens gives it
 * back to the system. Only when the process runs with `--expose-gc` (npm start and the image do);
 * otherwise V8 collects it when it gets to it.
 */
function collectStartUpGarbage(): void {
  const collect = globalThis.gc;
  if (collect) setTimeout(() => void collect(), 1_000).unref();
}

/**
 * What the port answers until Naast has started (loading the content, opening and migrating the database
 * take 5–30 s on a small machine, more beside a backlog): `/healthz` 200 `{"status":"starting"}`, so a
 * container's health check sees a live process at once; `/readyz` 503; anything else 503 with `Retry-After`,
 * so a platform delivers its webhook again and a browser tries again shortly.
 */
function answerWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  const url = (req.url ?? "/").split("?")[0];
  const reply = (status: number, body: Record<string, string>, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };
  if (url === "/healthz") reply(200, { status: "starting" });
  else if (url === "/readyz") reply(503, { status: "starting" });
  else reply(503, { error: "starting", detail: "Naast is starting; try again in a few seconds" }, { "retry-after": "5" });
}

/** Composition root: reads the environment, starts Naast, and closes everything on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  tuneV8(config);
  // The data folder is claimed first (a second Naast on it stops here with its own message), then the port is
  // listened on before the rest of Naast is even loaded: health checks get an answer within a second of start,
  // whatever the start-up and the backlog after it cost. Naast's app takes over once it is built.
  const { claimDataDir, DataDirBusyError } = await import("./storage/data-dir-lock.js");
  let release: (() => Promise<void>) | undefined;
  try {
    if (!config.databaseUrl) release = await claimDataDir(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirBusyError) {
      console.error(err.message);
      process.exit(75);
    }
    throw err;
  }
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => (app ?? answerWhileStarting)(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const [{ ContentError }, { chooseLogFormat, createProcessLogger }, { createNaast }, { removeControlFile, writeControlFile }] = await Promise.all([
    import("./content/load-content.js"),
    import("./logger.js"),
    import("./naast.js"),
    import("./http/control-file.js"),
  ]);
  const logFormat = chooseLogFormat(config.logFormat, { isTTY: process.stdout.isTTY === true, production: config.env === "production" });
  const log = await createProcessLogger(config.logLevel, logFormat);
  log.info({ database: config.databaseUrl ? "postgresql" : "embedded" }, "starting: opening the database and loading the content");
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

  app = naast.handler;
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
      const words = "No admin account yet. Create the first one here (one-time link, valid 7 days, or until an admin exists)";
      // A person at a terminal gets it set apart; a log collector gets one JSON line like every other.
      if (logFormat === "pretty") console.log(`\n  ${words}:\n  ${link}\n  Trying Naast out? \`npm run demo\` adds a demo organisation, professional and key figure.\n`);
      else log.warn({ firstAdminLink: link }, `${words}: ${link}`);
    }
  } else if ((await naast.db.prisma.staffUser.count({ where: { role: "admin" } })) === 0) {
    log.warn("no admin account yet: run `npm run admin:invite -- --email you@example.org --name \"Your Name\"`");
  }
  collectStartUpGarbage();

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
    await release?.();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

await main();
