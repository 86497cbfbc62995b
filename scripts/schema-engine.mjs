#!/usr/bin/env node
// Stands in for Prisma's native `schema-engine` binary, which cannot be downloaded on our build machines.
// The Prisma CLI starts this file (via PRISMA_SCHEMA_ENGINE_BINARY, set in prisma.config.ts) and speaks the
// engine's JSON-RPC over stdin/stdout; we run Prisma's own engine compiled to WebAssembly on top of the
// `pg` driver adapter. Used to author migrations (`prisma migrate dev`) against a real PostgreSQL.
// At run time Naast applies migrations itself (src/storage/migrate.ts) and never starts this file.
import fs from 'node:fs';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const argv = process.argv.slice(2);
const datamodels = [];
let datasource = {};
let cliCmd = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--version' || a === '-V') {
    process.stdout.write('schema-engine-cli wasm-shim\n');
    process.exit(0);
  } else if (a === '--datamodels') datamodels.push(argv[++i]);
  else if (a === '--datasource') datasource = JSON.parse(argv[++i]);
  else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
  else if (a === 'cli') { cliCmd = argv[++i]; break; }
}

// CLI-mode error format: the Prisma CLI drops the first stderr line and parses the rest as JSON log lines.
function fail(code, message) {
  process.stderr.write('schema-engine-shim error\n' + JSON.stringify({
    level: 'ERROR', target: 'schema_engine::logger', fields: { error_code: code, message },
  }) + '\n');
  process.exit(1);
}

const url = datasource.url ?? process.env.DATABASE_URL;
if (!url) fail('P1012', 'No datasource url given to the schema-engine shim (set DATABASE_URL)');
if (!/^postgres(ql)?:\/\//.test(url)) fail('P1013', 'The schema-engine shim only speaks PostgreSQL');

const require = createRequire(import.meta.url);

async function makeFactory(u) {
  // The schema describer selects pg_catalog `"char"` columns (OID 18), which @prisma/adapter-pg rejects
  // as an unsupported native type. Report them as TEXT (OID 25).
  const { default: Result } = await import('pg/lib/result.js');
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fds) {
    for (const f of fds) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return addFields.call(this, fds);
  };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  // Discrete fields, not a connectionString: the shadow database connection spreads this config with
  // another `database`, which a connectionString would override.
  const { parse } = createRequire(require.resolve('pg'))('pg-connection-string');
  const cfg = Object.fromEntries(Object.entries(parse(u)).filter(([, v]) => v !== undefined && v !== null));
  const f = new PrismaPg(cfg);
  // adapter-pg drops the shadow database before closing its pool ("being accessed by other users").
  f.connectToShadowDb = async () => {
    const main = await f.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...cfg, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try { await dispose(); } finally {
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        await main.dispose();
      }
    };
    return shadow;
  };
  return f;
}

if (cliCmd) {
  try {
    const pg = (await import('pg')).default;
    const x = new URL(url);
    const db = decodeURIComponent(x.pathname.slice(1)) || 'postgres';
    x.pathname = '/postgres';
    if (cliCmd === 'can-connect-to-database') {
      const c = new pg.Client({ connectionString: url });
      try { await c.connect(); await c.end(); } catch (e) {
        if (e.code === '3D000') fail('P1003', `Database \`${db}\` does not exist`);
        fail('P1001', `Can't reach database server: ${e.message}`);
      }
    } else if (cliCmd === 'create-database' || cliCmd === 'drop-database') {
      const c = new pg.Client({ connectionString: x.toString() });
      await c.connect();
      await c.query(`${cliCmd === 'create-database' ? 'CREATE' : 'DROP'} DATABASE "${db.replace(/"/g, '""')}"`);
      await c.end();
    } else fail('P1000', `Unsupported cli command ${cliCmd}`);
    process.exit(0);
  } catch (e) { fail('P1000', String(e?.message ?? e)); }
}

const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
globalThis.PRISMA_WASM_PANIC_REGISTRY = { message: '', set_message(m) { this.message = `RuntimeError: ${m}`; } };
const wasmUrl = new URL('./schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmUrl)), { './schema_engine_bg.js': glue });
glue.__wbg_set_wasm(inst.exports);
inst.exports.__wbindgen_start();

const openAdapters = new Set();
const base = await makeFactory(url);
const connect = base.connect.bind(base);
base.connect = async () => {
  const a = await connect();
  openAdapters.add(a);
  const dispose = a.dispose.bind(a);
  a.dispose = async () => { openAdapters.delete(a); return dispose(); };
  return a;
};
const factory = bindMigrationAwareSqlAdapterFactory(base);
const engine = await glue.SchemaEngine.new(
  { datamodels: datamodels.length ? datamodels.map((p) => [p, fs.readFileSync(p, 'utf8')]) : undefined },
  (line) => process.stderr.write(line + '\n'),
  factory,
);

let printId = 1_000_000;
const METHOD_ALIASES = { getDatabaseVersion: 'version' };
const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    if (!line.trim()) return;
    const req = JSON.parse(line);
    if (req.method === undefined) return;
    const name = METHOD_ALIASES[req.method] ?? req.method;
    queue = queue.then(async () => {
      try {
        if (typeof engine[name] !== 'function') throw Object.assign(new Error(`Method ${req.method} not supported by the wasm schema engine`), { code: 'P1000' });
        const result = await engine[name](req.params ?? {});
        // The native engine prints `migrate diff` output through a `print` request; the wasm one returns it.
        if (name === 'diff' && typeof result?.stdout === 'string') {
          if (result.stdout) send({ jsonrpc: '2.0', id: ++printId, method: 'print', params: { content: result.stdout } });
          delete result.stdout;
        }
        send({ jsonrpc: '2.0', id: req.id, result: result ?? null });
      } catch (e) {
        const isPanic = e instanceof WebAssembly.RuntimeError || e?.name === 'RuntimeError';
        const message = isPanic ? globalThis.PRISMA_WASM_PANIC_REGISTRY.message || String(e?.message ?? e) : String(e?.message ?? e);
        send({ jsonrpc: '2.0', id: req.id, error: { code: 4466, message: 'An error happened. Check the data field for details.',
          data: { is_panic: isPanic, message, error_code: e?.code, meta: e?.meta, error: { message } } } });
      }
    });
  })
  .on('close', async () => {
    await queue;
    await Promise.allSettled([...openAdapters].map((a) => a.dispose()));
    process.exit(0);
  });
process.on('SIGTERM', () => { for (const a of openAdapters) a.dispose().catch(() => {}); process.exit(0); });
