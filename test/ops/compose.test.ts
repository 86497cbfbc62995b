import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ENV_VARIABLES } from "../../src/config.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const run = promisify(execFile);
const composeText = await readFile(path.join(ROOT, "compose.yaml"), "utf8");
const envExample = await readFile(path.join(ROOT, ".env.example"), "utf8");
/** Caddy itself checks the proxy's configuration where it is installed (.ci/run installs Debian's caddy). */
const caddy = await run("caddy", ["version"]).then(
  () => true,
  () => false,
);

/** `KEY=value` lines of a .env file (commented lines are documentation, not values). */
function dotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) out[m[1]!] = m[2]!.trim();
  return out;
}

/** Every variable .env.example mentions, set or shown commented with its default. */
const documented = new Set([...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

/** The values an operator fills in before the first start (the required ones are empty in .env.example). */
const filled = {
  ...dotenv(envExample),
  NAAST_DOMAIN: "naast.example.org",
  POSTGRES_PASSWORD: "0123456789abcdef0123456789abcdef0123456789abcdef",
  PSEUDONYM_KEY: "a".repeat(64),
  ENCRYPTION_KEY: "b".repeat(64),
  METRICS_TOKEN: "m".repeat(40),
};

/**
 * Compose's variable interpolation (compose-spec, "Interpolation"): $$, $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement}.
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const key = name ?? bare!;
    const v = env[key];
    const unsetOrEmpty = v === undefined || v === "";
    switch (op) {
      case ":-":
        return unsetOrEmpty ? interpolate(arg ?? "", env) : v;
      case "-":
        return v === undefined ? interpolate(arg ?? "", env) : v;
      case ":?":
        if (unsetOrEmpty) throw new Error(`${key}: ${arg}`);
        return v;
      case "?":
        if (v === undefined) throw new Error(`${key}: ${arg}`);
        return v;
      case ":+":
        return unsetOrEmpty ? "" : interpolate(arg ?? "", env);
      case "+":
        return v === undefined ? "" : interpolate(arg ?? "", env);
      default:
        return v ?? "";
    }
  });
}

function interpolateAll(node: unknown, env: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateAll(n, env));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
}

/** compose.yaml as Compose reads it: YAML with merge keys, then interpolated. */
function load(env: Record<string, string>): unknown {
  return interpolateAll(parseYaml(composeText, { merge: true }), env);
}

const healthcheck = z.object({ test: z.array(z.string()).min(2), interval: z.string(), timeout: z.string() });
const service = z.object({
  image: z.string(),
  build: z.unknown().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  env_file: z.array(z.object({ path: z.string(), required: z.boolean() })).optional(),
  healthcheck,
  volumes: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  container_name: z.string().optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  deploy: z.object({ replicas: z.union([z.string(), z.number()]) }).optional(),
  command: z.array(z.string()).optional(),
});
const composeSchema = z.object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown()) });

describe("compose.yaml and .env.example", () => {
  const work: string[] = [];
  afterAll(async () => {
    for (const dir of work) await rm(dir, { recursive: true, force: true });
  });

  it("document every variable Naast reads, and every variable compose.yaml uses", () => {
    for (const name of ENV_VARIABLES) expect(documented, `.env.example does not mention ${name}`).toContain(name);
    for (const m of composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) expect(documented, `.env.example does not mention ${m[1]}`).toContain(m[1]);
  });

  it("refuse to start before the required secrets are filled in, naming them", () => {
    expect(() => load(dotenv(envExample))).toThrow(/POSTGRES_PASSWORD|NAAST_DOMAIN/);
    expect(() => load({ ...filled, NAAST_DOMAIN: "" })).toThrow(/NAAST_DOMAIN/);
    expect(() => load({ ...filled, POSTGRES_PASSWORD: "" })).toThrow(/POSTGRES_PASSWORD/);
  });

  it("is a valid Compose file: `docker compose config` where Compose is installed, else the Compose Specification's JSON schema", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-compose-"));
    work.push(dir);
    await copyFile(path.join(ROOT, "compose.yaml"), path.join(dir, "compose.yaml"));
    await mkdir(path.join(dir, "deploy"));
    await copyFile(path.join(ROOT, "deploy", "Caddyfile"), path.join(dir, "deploy", "Caddyfile"));
    await writeFile(path.join(dir, ".env"), Object.entries(filled).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    const compose = await run("docker", ["compose", "version"]).then(
      () => true,
      () => false,
    );
    if (compose) {
      const { stdout } = await run("docker", ["compose", "--project-directory", dir, "config", "--format", "json"], { cwd: dir });
      expect(Object.keys(z.object({ services: z.record(z.string(), z.unknown()) }).parse(JSON.parse(stdout)).services).sort()).toEqual(["postgres", "proxy", "redis", "web", "worker"]);
    }
    // The schema check runs either way; without Compose it is the check.
    const spec: unknown = JSON.parse(await readFile(path.join(ROOT, "test", "support", "compose-spec", "compose-spec.json"), "utf8"));
    const schema = z.record(z.string(), z.unknown()).parse(spec);
    delete schema.$schema; // draft-07, Ajv's default; its URL form (https, no '#') is not one Ajv knows by name
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const doc = load(filled);
    const valid = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
    // The schema does catch mistakes: an unknown key in a service is refused.
    expect(validate({ services: { web: { image: "x", helthcheck: {} } } })).toBe(false);
  });

  it("runs PostgreSQL, Redis, web and worker processes and Caddy, each with a health check, data in volumes and secrets from .env; web and worker can scale", () => {
    const { services, volumes } = composeSchema.parse(load(filled));
    expect(Object.keys(services).sort()).toEqual(["postgres", "proxy", "redis", "web", "worker"]);
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, `${name} pins its image to a version`).toMatch(/:(\d+\.\d+(\.\d+)?[-\w.]*|local)$/);
      expect(s.healthcheck.test[0], `${name} has a health check`).toMatch(/^CMD/);
    }
    expect(services.postgres!.volumes).toContain("postgres-data:/var/lib/postgresql/data");
    expect(services.redis!.volumes).toContain("redis-data:/data");
    expect(services.redis!.command).toEqual(expect.arrayContaining(["--maxmemory-policy", "noeviction"]));
    expect(Object.keys(volumes)).toEqual(expect.arrayContaining(["postgres-data", "redis-data"]));

    for (const [name, role] of [["web", "web"], ["worker", "worker"]] as const) {
      const s = services[name]!;
      expect(s.environment?.ROLE).toBe(role);
      expect(s.environment?.NODE_ENV).toBe("production");
      expect(s.environment?.DATABASE_URL).toBe(`postgresql://naast:${filled.POSTGRES_PASSWORD}@postgres:5432/naast`);
      expect(s.environment?.REDIS_URL).toBe("redis://redis:6379");
      expect(s.env_file).toEqual([{ path: ".env", required: true }]);
      expect(s.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
      // Scalable: no fixed container name and no host port, which two copies could not share.
      expect(s.container_name).toBeUndefined();
      expect(s.ports).toBeUndefined();
      expect(s.build).toBe(".");
    }
    expect(services.worker!.deploy?.replicas).toBe("1");
    expect(services.proxy!.ports).toEqual(["80:80", "443:443", "443:443/udp"]);
    expect(services.proxy!.volumes).toContain("./deploy/Caddyfile:/etc/caddy/Caddyfile:ro");
    // The secrets come from .env, not from compose.yaml itself.
    for (const secret of ["PSEUDONYM_KEY", "ENCRYPTION_KEY", "METRICS_TOKEN", "WHATSAPP_APP_SECRET"]) expect(composeText).not.toContain(`${secret}:`);
  });

  if (!caddy && process.env.NAAST_REQUIRE_SERVICES === "1") {
    it("deploy/Caddyfile: caddy is required in this run (NAAST_REQUIRE_SERVICES=1); apt-get install caddy", () => {
      throw new Error("caddy is not installed");
    });
  }
  it.skipIf(!caddy)("deploy/Caddyfile is a configuration Caddy accepts (caddy adapt --validate)", async () => {
    const { stdout } = await run("caddy", ["adapt", "--config", path.join(ROOT, "deploy", "Caddyfile"), "--adapter", "caddyfile", "--validate"], { env: { ...process.env, NAAST_DOMAIN: "naast.example.org" } });
    const config = JSON.stringify(JSON.parse(stdout));
    expect(config).toContain('"host":["naast.example.org"]');
    expect(config).toMatch(/"dynamic_upstreams":\{"name":"web","port":"3000"/);
    expect(config).toMatch(/"match":\[\{"path":\["\/metrics"\]\}\]/);
  });

  it("interpolates the way Compose does", () => {
    const env = { A: "a", EMPTY: "" };
    expect(interpolate("$$A ${A} $A ${B:-d} ${EMPTY:-d} ${EMPTY-d} ${A:+r} ${B:+r}", env)).toBe("$A a a d d  r ");
    expect(() => interpolate("${B:?needed}", env)).toThrow("B: needed");
    expect(() => interpolate("${EMPTY?needed}", env)).not.toThrow();
  });
});
