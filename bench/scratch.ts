import { openDatabase } from "../src/storage/database.js";
import { PGlite } from "@electric-sql/pglite";
const db = await openDatabase({ databaseUrl: undefined, dataDir: "memory://" });
async function viaPrisma(batch: number, rounds: number) {
  const t = performance.now();
  for (let r = 0; r < rounds; r++) {
    const values: string[] = []; const params: unknown[] = [];
    for (let i = 0; i < batch; i++) { const p = i * 4; values.push(`($${p+1}, $${p+2}, $${p+3}, $${p+4})`); params.push("whatsapp", `id${batch}-${r}-${i}-${Math.random()}`, "a".repeat(64), "x".repeat(300)); }
    await db.prisma.$queryRawUnsafe(`INSERT INTO inbound_message (channel, platform_message_id, pseudonym, payload_enc) VALUES ${values.join(", ")} ON CONFLICT (channel, platform_message_id) DO NOTHING RETURNING seq, pseudonym, channel, platform_message_id AS pmid`, ...params);
  }
  return (performance.now() - t) / rounds;
}
async function viaSql(batch: number, rounds: number) {
  const t = performance.now();
  for (let r = 0; r < rounds; r++) {
    const values: string[] = []; const params: unknown[] = [];
    for (let i = 0; i < batch; i++) { const p = i * 4; values.push(`($${p+1}, $${p+2}, $${p+3}, $${p+4})`); params.push("whatsapp", `s${batch}-${r}-${i}-${Math.random()}`, "a".repeat(64), "x".repeat(300)); }
    await db.sql.query(`INSERT INTO inbound_message (channel, platform_message_id, pseudonym, payload_enc) VALUES ${values.join(", ")} ON CONFLICT (channel, platform_message_id) DO NOTHING RETURNING seq, pseudonym, channel, platform_message_id AS pmid`, params);
  }
  return (performance.now() - t) / rounds;
}
for (let k = 0; k < 3; k++) {
  console.log(`prisma b1 ${(await viaPrisma(1, 40)).toFixed(2)} ms; sql b1 ${(await viaSql(1, 40)).toFixed(2)} ms; prisma b64 ${(await viaPrisma(64, 20)).toFixed(2)} ms; sql b64 ${(await viaSql(64, 20)).toFixed(2)} ms`);
}
let t = performance.now();
for (let i = 0; i < 100; i++) await db.sql.query("SELECT 1");
console.log(`select 1 via pglite: ${((performance.now() - t) / 100).toFixed(2)} ms`);
t = performance.now();
for (let i = 0; i < 100; i++) await db.prisma.$queryRawUnsafe("SELECT 1");
console.log(`select 1 via prisma: ${((performance.now() - t) / 100).toFixed(2)} ms`);
const lite = await PGlite.create();
await lite.exec("create table t (id serial primary key, a text unique, b text)");
t = performance.now();
for (let i = 0; i < 100; i++) await lite.query("insert into t (a, b) values ($1, $2)", [String(Math.random()), "x".repeat(300)]);
console.log(`bare pglite insert: ${((performance.now() - t) / 100).toFixed(2)} ms`);
await db.close();
