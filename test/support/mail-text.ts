import type { CaughtMail } from "./smtp-catcher.js";

/** Quoted-printable (RFC 2045) to text: soft line breaks joined, =XX bytes decoded as UTF-8. */
function fromQuotedPrintable(s: string): string {
  const joined = s.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** An RFC 2047 encoded header (=?UTF-8?Q?...?= or =?UTF-8?B?...?=) as text. */
function decodeHeader(v: string): string {
  return v.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : fromQuotedPrintable(data.replace(/_/g, " ")),
  );
}

/** The subject and plain-text body of a caught e-mail, decoded, for assertions. */
export function mailText(m: CaughtMail): { subject: string; body: string } {
  const [head = "", ...rest] = m.raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const subject = decodeHeader(/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? "");
  const raw = rest.join("\n\n");
  const body = /Content-Transfer-Encoding: quoted-printable/i.test(unfolded) ? fromQuotedPrintable(raw) : /Content-Transfer-Encoding: base64/i.test(unfolded) ? Buffer.from(raw.replace(/\s/g, ""), "base64").toString("utf8") : raw;
  return { subject, body };
}
