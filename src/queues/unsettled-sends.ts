/** What a remembered outcome does once written: the send is finished, or (a claim given back) it is handled again. */
export type SettleResult = "settled" | "resume";

type Unsettled = { token: string; write: () => Promise<unknown>; then: SettleResult };

/**
 * Outcomes of sends that this process knows but could not write because the database was away: a claim whose
 * answer was lost before anything was sent (nothing went out, so the claim is given back), or a send whose
 * result (sent, refused, in doubt) could not be recorded. Without this, such a record stays `sending` until
 * its lease runs out and is then in doubt, although this process knows exactly what happened; a reply left
 * in doubt that way is sent minutes later, after the replies that followed it.
 *
 * Kept in memory, one per process, shared by the send workers and the recovery sweep. Each entry names the
 * claim (its token) it belongs to, so it is applied only while that claim still holds the record. A restart
 * forgets them: the records are then in doubt, as every send of a process that stopped mid-send is.
 */
export class UnsettledSends {
  readonly #byId = new Map<string, Unsettled>();

  /** Keeps `write` (the statement that failed, to run again) for the record `id` claimed under `token`. */
  remember(id: string, token: string, write: () => Promise<unknown>, then: SettleResult): void {
    this.#byId.set(id, { token, write, then });
  }

  /**
   * Runs the remembered write when the record is still claimed under the same token; undefined when nothing is
   * remembered for this claim (an entry for another claim, or for a record no longer `sending`, is dropped).
   * A write that fails again stays remembered and throws.
   */
  async settle(id: string, status: string, claimToken: string | null): Promise<SettleResult | undefined> {
    const entry = this.#byId.get(id);
    if (!entry) return undefined;
    if (status !== "sending" || entry.token !== claimToken) {
      this.#byId.delete(id);
      return undefined;
    }
    await entry.write();
    this.#byId.delete(id);
    return entry.then;
  }

  /** How many outcomes wait to be written. */
  get size(): number {
    return this.#byId.size;
  }
}
