import type { PrismaClient } from "../generated/prisma/client.js";

/** Failures allowed before waiting starts. */
const FREE_FAILURES = 3;
/** The longest wait between attempts (ms). */
const MAX_WAIT_MS = 15 * 60_000;

/**
 * Slows down password guessing per e-mail address and per client: after 3 failures each further
 * attempt must wait 2^(failures-3) seconds, up to 15 minutes. A success clears the e-mail's count.
 */
export class LoginThrottle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Milliseconds to wait before another attempt for any of these keys; 0 when allowed now. */
  async waitMs(keys: readonly string[]): Promise<number> {
    const rows = await this.prisma.loginThrottle.findMany({ where: { key: { in: [...keys] } } });
    const now = this.clock().getTime();
    let wait = 0;
    for (const r of rows) {
      if (r.failures < FREE_FAILURES) continue;
      const delay = Math.min(MAX_WAIT_MS, 1000 * 2 ** (r.failures - FREE_FAILURES));
      wait = Math.max(wait, r.lastFailureAt.getTime() + delay - now);
    }
    return Math.max(0, wait);
  }

  async fail(keys: readonly string[]): Promise<void> {
    const now = this.clock();
    for (const key of keys) {
      await this.prisma.loginThrottle.upsert({
        where: { key },
        create: { key, failures: 1, lastFailureAt: now },
        update: { failures: { increment: 1 }, lastFailureAt: now },
      });
    }
  }

  async succeed(key: string): Promise<void> {
    await this.prisma.loginThrottle.deleteMany({ where: { key } });
  }
}
