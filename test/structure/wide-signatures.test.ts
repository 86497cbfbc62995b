import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * A constructor or an exported function with more than four parameters takes one options object instead
 * (`OutboundWorkerOptions`, `ConversationServiceOptions`): a caller then names each part rather than
 * relying on the order of many values of the same type, and a new part does not shift the others. Read
 * with the TypeScript parser (no type checking), so comments, strings and default values with commas
 * cannot confuse the count.
 */
const SRC = resolve(import.meta.dirname, "../../src");
const MAX_PARAMETERS = 4;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Parameters a caller passes: a rest parameter counts once, TypeScript's `this` parameter not at all. */
function parameterCount(fn: ts.SignatureDeclarationBase): number {
  return fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")).length;
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** A function a variable is initialised with, through parentheses, `as` and `satisfies`. */
function functionIn(init: ts.Expression | undefined): ts.ArrowFunction | ts.FunctionExpression | undefined {
  let e = init;
  while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
  return e && (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) ? e : undefined;
}

/**
 * `name:line what (n parameters)` for each constructor (of any class, exported or not) and each exported
 * function (declaration, or a top-level const holding one; exported in place, by `export { … }` or as
 * the default) with more than MAX_PARAMETERS parameters.
 */
function wideSignatures(name: string, text: string): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const exportedLater = new Set<string>();
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) exportedLater.add((e.propertyName ?? e.name).text);
    }
    if (ts.isExportAssignment(s) && ts.isIdentifier(s.expression)) exportedLater.add(s.expression.text);
  }
  const out: string[] = [];
  const check = (fn: ts.SignatureDeclarationBase, what: string) => {
    const n = parameterCount(fn);
    if (n > MAX_PARAMETERS) out.push(`${name}:${sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line + 1} ${what} (${n} parameters)`);
  };
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && (hasExportModifier(s) || (s.name && exportedLater.has(s.name.text)))) check(s, `function ${s.name?.text ?? "default"}`);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const fn = functionIn(d.initializer);
        if (fn && ts.isIdentifier(d.name) && (hasExportModifier(s) || exportedLater.has(d.name.text))) check(fn, `function ${d.name.text}`);
      }
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isConstructorDeclaration(node)) {
      const owner = node.parent;
      check(node, `constructor of ${(ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name ? owner.name.text : "a class"}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe("wide signatures", () => {
  it("finds a wide constructor or exported function, and only those", () => {
    const source = `
      export class Wide {
        constructor(private readonly a: A, b: B, c: C, d: D, e = "x, y") {}
        method(a: A, b: B, c: C, d: D, e: E) {}
      }
      class Hidden { constructor(a: A, b: B, c: C, d: D, ...more: E[]) {} }
      export class Narrow { constructor(opts: NarrowOptions) {} }
      export function five(a: string, b: string, c: string, d: string, e: string): void {}
      export function four(this: Window, a: string, b: string, c: string, d: string): void {}
      export const arrow = (a: A, b: B, /* c: C, */ c: C, d: D, e: E) => a;
      const later = function (a: A, b: B, c: C, d: D, e: E) {};
      function local(a: A, b: B, c: C, d: D, e: E) { const inner = (a: A, b: B, c: C, d: D, e: E) => a; }
      export { later };
    `;
    expect(wideSignatures("x.ts", source)).toEqual([
      "x.ts:8 function five (5 parameters)",
      "x.ts:10 function arrow (5 parameters)",
      "x.ts:11 function later (5 parameters)",
      "x.ts:3 constructor of Wide (5 parameters)",
      "x.ts:6 constructor of Hidden (5 parameters)",
    ]);
  });

  it("src/ takes an options object wherever a constructor or an exported function would take more than four parameters", () => {
    const files = tsFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => wideSignatures(relative(SRC, f), readFileSync(f, "utf8")))).toEqual([]);
  });
});
