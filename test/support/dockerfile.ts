/** One instruction of a Dockerfile: its keyword (upper case) and the rest of the line, continuations joined. */
export type Instruction = { keyword: string; args: string };

/** One build stage: its base image, its name (`AS name`), and its instructions after FROM. */
export type Stage = { from: string; name: string | undefined; instructions: Instruction[] };

/**
 * Reads a Dockerfile into stages, as far as a test needs: comments and blank lines dropped, lines
 * ending in a backslash joined. Parser directives and heredocs are not used by Naast's Dockerfile.
 */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = "";
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (keyword === "FROM") {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile: cannot read FROM ${args}`);
      stages.push({ from: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args });
  }
  return stages;
}

/** `--flag=value` options at the start of COPY/ADD/HEALTHCHECK arguments, and what follows them. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(rest);
    if (!m) break;
    flags[m[1]!] = m[2] ?? "true";
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** The exec form of CMD/ENTRYPOINT/HEALTHCHECK CMD: a JSON array of strings. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((p): p is string => typeof p === "string")) throw new Error(`not an exec-form array: ${args}`);
  return parsed;
}

/** `ENV a=1 b="two words"` as a record (the `ENV key value` form is not used). */
export function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const v = m[2]!;
    out[m[1]!] = v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;
  }
  return out;
}
