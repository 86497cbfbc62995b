/** A tiny browser for the panel: keeps cookies, reads the CSRF token from forms, follows nothing by itself. */
export class PanelClient {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  #remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  #cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.#cookie(), "accept-language": "nl" }, redirect: "manual" });
    this.#remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  }

  /** Posts a form; `_csrf` is taken from the cookie unless given. */
  async post(path: string, fields: Record<string, string | string[]>, csrf: string | null = this.csrf()): Promise<{ status: number; text: string; location: string | null }> {
    const body = new URLSearchParams(csrf !== null ? { _csrf: csrf } : {});
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(this.base + path, {
      method: "POST",
      headers: { cookie: this.#cookie(), "content-type": "application/x-www-form-urlencoded", "accept-language": "nl" },
      body,
      redirect: "manual",
    });
    this.#remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  }

  csrf(): string {
    return decodeURIComponent(this.jar.get("naast_csrf") ?? "");
  }
}
