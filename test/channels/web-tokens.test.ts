import { describe, expect, it } from "vitest";
import { WebTokens } from "../../src/channels/web/web-tokens.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("web chat tokens", () => {
  const tokens = new WebTokens("ab".repeat(32));

  it("accepts what it issued and refuses another key's", () => {
    const token = tokens.issue();
    expect(tokens.verify(token)).toBe(true);
    expect(new WebTokens("cd".repeat(32)).verify(token)).toBe(false);
  });

  it("refuses every other spelling of the same bytes (the last character's two spare bits)", () => {
    for (let n = 0; n < 20; n++) {
      const token = tokens.issue();
      const last = ALPHABET.indexOf(token.at(-1)!);
      for (const spare of [1, 2, 3]) {
        const respelled = `${token.slice(0, -1)}${ALPHABET[last ^ spare]!}`;
        expect(Buffer.from(respelled, "base64url").equals(Buffer.from(token, "base64url"))).toBe(true);
        expect(tokens.verify(respelled)).toBe(false);
      }
    }
  });
});
