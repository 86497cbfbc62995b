import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Cipher } from "../crypto/cipher.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { SqlRunner } from "../storage/sql-runner.js";
import { AuditLog, type AuditActor } from "./audit-log.js";
import { LoginThrottle, ThrottledError } from "./login-throttle.js";
import { DUMMY_HASH, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.js";
import { newTotpSecret, verifyTotp } from "./totp.js";

export const ROLES = ["admin", "coordinator", "professional", "keyfigure", "wijkregie"] as const;
export const roleSchema = z.enum(ROLES);
/**
 * What a panel user may do: admin (the municipality: accounts, approvals), coordinator (watches over the
 * requests of their organisation, or without one all of them for the wijkregie: overdue and unaccepted
 * requests, reassigning), professional, key figure, or wijkregie (read-only: the Insights page and its
 * monthly report, figures only, never a case).
 */
export type Role = z.infer<typeof roleSchema>;

/** Roles that must use a second factor (TOTP). */
export const TWO_FACTOR_ROLES: ReadonlySet<Role> = new Set(["admin", "coordinator", "professional", "wijkregie"]);

/** An account for whoever opens a first-start link: their own name and e-mail. */
export const firstAdminSchema = z.object({ displayName: z.string().trim().min(1).max(80), email: z.email().max(200) });
export type FirstAdmin = z.infer<typeof firstAdminSchema>;

/** How long a panel session lasts without use (ms): 12 hours. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** How long an invitation link works (ms): 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** The signed-in user as routes see it. */
export type StaffIdentity = {
  sessionId: string;
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  /** True when the second factor is done, or not required for this role. */
  complete: boolean;
  /** Admins and professionals who have not set up TOTP yet must do that first. */
  needsTotpSetup: boolean;
  /** A second factor is set up and was used in this session (key figures need this to broadcast). */
  strong: boolean;
  /** This session's CSRF token: forms must carry it; it is born and dies with the session. */
  csrfToken: string;
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Why a login or invitation did not go through, in words the panel can show. */
export class AuthError extends Error {
  override name = "AuthError";
  constructor(
    readonly code: "bad-credentials" | "throttled" | "bad-code" | "invite-invalid" | "weak-password" | "disabled" | "account-exists" | "not-allowed" | "admin-exists",
    readonly retryAfterMs = 0,
  ) {
    super(code);
  }
}

/** A new session: the cookie's token and the session's CSRF token. */
export type NewSession = { sessionId: string; csrfToken: string };

/** Accounts, invitations, sessions and second factors for the panel. */
export class StaffAuth {
  readonly #throttle: LoginThrottle | undefined;
  readonly audit: AuditLog;

  /**
   * `security` (the database's SQL runner and a 32-byte hex secret for known-device cookies) is needed to
   * sign people in; the invitation command line works without it.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: Cipher,
    private readonly clock: () => Date = () => new Date(),
    security?: { sql: SqlRunner; secret: string },
  ) {
    this.#throttle = security ? new LoginThrottle(security.sql, security.secret) : undefined;
    this.audit = new AuditLog(prisma);
  }

  get throttle(): LoginThrottle {
    if (!this.#throttle) throw new Error("StaffAuth: signing in needs the database's SQL runner (security option)");
    return this.#throttle;
  }

  /**
   * Creates a one-time invitation; returns the token for the link (shown once, stored hashed). An e-mail
   * that already has an account is refused: an invitation never replaces someone's password or role.
   */
  async invite(opts: { email: string; displayName: string; role: Role; organisationId: string | null; createdById: string | null }): Promise<string> {
    const email = opts.email.trim().toLowerCase();
    if (await this.prisma.staffUser.findUnique({ where: { email } })) throw new AuthError("account-exists");
    const token = randomBytes(32).toString("base64url");
    await this.prisma.staffInvite.create({
      data: {
        tokenHash: sha256(token),
        email,
        displayName: opts.displayName.trim(),
        role: opts.role,
        organisationId: opts.organisationId,
        createdById: opts.createdById,
        expiresAt: new Date(this.clock().getTime() + INVITE_TTL_MS),
      },
    });
    return token;
  }

  /**
   * The link a first start prints while no admin account exists: whoever opens it becomes the first admin
   * (they fill in their own name and e-mail). Earlier such links stop working; once an admin exists, none
   * is made. Returns the token, or undefined when an admin exists.
   */
  async firstAdminInvite(): Promise<string | undefined> {
    if ((await this.prisma.staffUser.count({ where: { role: "admin", disabledAt: null } })) > 0) return undefined;
    const token = randomBytes(32).toString("base64url");
    await this.prisma.$transaction([
      this.prisma.staffInvite.deleteMany({ where: { firstAdmin: true, usedAt: null } }),
      this.prisma.staffInvite.create({
        data: { tokenHash: sha256(token), email: "", displayName: "", role: "admin", organisationId: null, firstAdmin: true, expiresAt: new Date(this.clock().getTime() + INVITE_TTL_MS) },
      }),
    ]);
    return token;
  }

  /** The invitation behind a token, if it is unused and not expired (a first-start link: while no admin exists). */
  async findInvite(token: string) {
    const invite = await this.prisma.staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
    if (!invite || invite.usedAt || invite.expiresAt < this.clock()) return undefined;
    if (invite.firstAdmin && (await this.prisma.staffUser.count({ where: { role: "admin", disabledAt: null } })) > 0) return undefined;
    return invite;
  }

  /**
   * Turns an invitation into a new account with a password, and signs the new user in. A first-start
   * link needs `who` (the person's own name and e-mail) and works only while no admin exists.
   */
  async acceptInvite(token: string, password: string, who?: FirstAdmin): Promise<NewSession> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new AuthError("weak-password");
    const passwordHash = await hashPassword(password);
    return this.prisma.$transaction(async (tx) => {
      const invite = await tx.staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
      if (!invite || invite.usedAt || invite.expiresAt < this.clock()) throw new AuthError("invite-invalid");
      let { email, displayName } = invite;
      if (invite.firstAdmin) {
        if ((await tx.staffUser.count({ where: { role: "admin", disabledAt: null } })) > 0) throw new AuthError("admin-exists");
        const details = firstAdminSchema.safeParse(who);
        if (!details.success) throw new AuthError("invite-invalid");
        email = details.data.email.trim().toLowerCase();
        displayName = details.data.displayName;
      }
      // An account made since the invitation was sent is not taken over by it.
      if (await tx.staffUser.findUnique({ where: { email } })) throw new AuthError(invite.firstAdmin ? "account-exists" : "invite-invalid");
      const used = await tx.staffInvite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: this.clock() } });
      if (used.count !== 1) throw new AuthError("invite-invalid");
      const user = await tx.staffUser.create({
        data: { email, displayName, role: invite.role, organisationId: invite.organisationId, passwordHash },
      });
      return this.#newSession(tx, user.id, false);
    });
  }

  /**
   * Checks e-mail and password; returns a new session. The attempt is counted before the password is
   * checked (see LoginThrottle); `deviceCookie` is the browser's known-device cookie, if any.
   */
  async login(email: string, password: string, client: string, deviceCookie?: string): Promise<NewSession> {
    const address = email.trim().toLowerCase();
    const user = await this.prisma.staffUser.findUnique({ where: { email: address } });
    const known = user ? this.throttle.isKnownDevice(user.id, deviceCookie) : false;
    try {
      await this.throttle.passwordAttempt(address, client, known);
    } catch (err) {
      if (err instanceof ThrottledError) throw new AuthError("throttled", err.retryAfterMs);
      throw err;
    }
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new AuthError("bad-credentials");
    if (user.disabledAt) throw new AuthError("disabled");
    await this.throttle.passwordSucceeded(address, client);
    return this.#newSession(this.prisma, user.id, false);
  }

  /** Counts a code attempt for the user; AuthError("throttled") when too many. */
  async #codeAttempt(userId: string): Promise<void> {
    try {
      await this.throttle.codeAttempt(userId);
    } catch (err) {
      if (err instanceof ThrottledError) throw new AuthError("throttled", err.retryAfterMs);
      throw err;
    }
  }

  /** Checks a code against the user's secret: a step must be newer than the last one accepted (a code works once). */
  async #acceptCode(user: { id: string; totpSecretEnc: string | null; totpLastStep: bigint | null }, code: string): Promise<number> {
    if (!user.totpSecretEnc) throw new AuthError("bad-code");
    await this.#codeAttempt(user.id);
    const step = verifyTotp(this.cipher.decrypt(user.totpSecretEnc), code.trim(), this.clock());
    if (step === undefined || (user.totpLastStep !== null && BigInt(step) <= user.totpLastStep)) throw new AuthError("bad-code");
    // Claimed atomically, so two parallel requests with one code cannot both succeed.
    const claimed = await this.prisma.staffUser.updateMany({
      where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: BigInt(step) } }] },
      data: { totpLastStep: BigInt(step) },
    });
    if (claimed.count !== 1) throw new AuthError("bad-code");
    await this.throttle.codeSucceeded(user.id);
    return step;
  }

  /** Checks a TOTP code for the session's user and completes the sign-in; a code works once. */
  async verifySecondFactor(sessionId: string, code: string): Promise<void> {
    const session = await this.prisma.staffSession.findUnique({ where: { id: sha256(sessionId) }, include: { user: true } });
    const user = session?.user;
    if (!session || !user?.totpSecretEnc || !user.totpEnabledAt) throw new AuthError("bad-code");
    await this.#acceptCode(user, code);
    await this.#markSecondFactor(sessionId, true);
  }

  /**
   * The secret to show while a user sets up TOTP: the one already waiting, or a fresh one. Only for
   * accounts without a working second factor; replacing one takes an admin's reset.
   */
  async beginTotpSetup(userId: string): Promise<string> {
    const user = await this.prisma.staffUser.findUniqueOrThrow({ where: { id: userId } });
    if (user.totpEnabledAt) throw new AuthError("not-allowed");
    if (user.totpSecretEnc) return this.cipher.decrypt(user.totpSecretEnc);
    const secret = newTotpSecret();
    await this.prisma.staffUser.updateMany({ where: { id: userId, totpEnabledAt: null, totpSecretEnc: null }, data: { totpSecretEnc: this.cipher.encrypt(secret), totpLastStep: null } });
    const now = await this.prisma.staffUser.findUniqueOrThrow({ where: { id: userId } });
    return this.cipher.decrypt(now.totpSecretEnc!);
  }

  /** Finishes TOTP set-up with a code from the app (throttled; a code works once); the session then counts as complete. */
  async confirmTotpSetup(sessionId: string, userId: string, code: string): Promise<void> {
    const user = await this.prisma.staffUser.findUniqueOrThrow({ where: { id: userId } });
    if (user.totpEnabledAt) throw new AuthError("not-allowed");
    await this.#acceptCode(user, code);
    await this.prisma.staffUser.update({ where: { id: userId }, data: { totpEnabledAt: this.clock(), totpResetAt: null, totpResetBy: null } });
    await this.#markSecondFactor(sessionId, true);
    await this.audit.record({ userId, displayName: user.displayName, email: user.email }, "2fa-enrolled", { type: "staff_user", id: userId });
  }

  /**
   * An admin resets someone else's second factor (a lost phone): the secret goes, their sessions end,
   * the reset is logged, and their next set-up page says who reset it and when.
   */
  async resetSecondFactor(targetId: string, actor: AuditActor): Promise<void> {
    if (targetId === actor.userId) throw new AuthError("not-allowed");
    await this.prisma.$transaction(async (tx) => {
      const target = await tx.staffUser.findUnique({ where: { id: targetId } });
      if (!target) throw new AuthError("not-allowed");
      await tx.staffUser.update({
        where: { id: targetId },
        data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null, totpResetAt: this.clock(), totpResetBy: actor.displayName },
      });
      await tx.staffSession.deleteMany({ where: { userId: targetId } });
      await this.audit.record(actor, "2fa-reset", { type: "staff_user", id: targetId }, `second factor of ${target.email} reset`, tx);
    });
  }

  /** An admin changes someone's role (a key figure belongs to an organisation); logged. */
  async changeRole(targetId: string, role: Role, organisationId: string | null, actor: AuditActor): Promise<void> {
    if (targetId === actor.userId) throw new AuthError("not-allowed");
    await this.prisma.$transaction(async (tx) => {
      const target = await tx.staffUser.findUnique({ where: { id: targetId } });
      if (!target) throw new AuthError("not-allowed");
      await tx.staffUser.update({ where: { id: targetId }, data: { role, organisationId } });
      await this.audit.record(actor, "role-change", { type: "staff_user", id: targetId }, `${target.email}: role ${target.role} → ${role}`, tx);
    });
  }

  /** The signed-in user for a session cookie, sliding its expiry; undefined when expired or unknown. */
  async identify(sessionId: string | undefined): Promise<StaffIdentity | undefined> {
    if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return undefined;
    const session = await this.prisma.staffSession.findUnique({ where: { id: sha256(sessionId) }, include: { user: true } });
    const now = this.clock();
    if (!session || session.expiresAt < now || session.user.disabledAt) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
      await this.prisma.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) } });
    }
    const role = roleSchema.parse(session.user.role);
    const needsTotp = TWO_FACTOR_ROLES.has(role) || session.user.totpEnabledAt !== null;
    return {
      sessionId,
      userId: session.user.id,
      email: session.user.email,
      displayName: session.user.displayName,
      role,
      organisationId: session.user.organisationId,
      complete: !needsTotp || session.secondFactor,
      needsTotpSetup: needsTotp && session.user.totpEnabledAt === null,
      strong: session.user.totpEnabledAt !== null && session.secondFactor,
      csrfToken: session.csrfToken,
    };
  }

  /** The pending reset notice for a user's set-up page: who reset their second factor, and when. */
  async resetNotice(userId: string): Promise<{ at: Date; by: string } | undefined> {
    const u = await this.prisma.staffUser.findUnique({ where: { id: userId }, select: { totpResetAt: true, totpResetBy: true } });
    return u?.totpResetAt ? { at: u.totpResetAt, by: u.totpResetBy ?? "" } : undefined;
  }

  async logout(sessionId: string): Promise<void> {
    await this.prisma.staffSession.deleteMany({ where: { id: sha256(sessionId) } });
  }

  /** Marks the session's second factor as done. */
  async #markSecondFactor(sessionId: string, secondFactor: boolean): Promise<void> {
    await this.prisma.staffSession.update({ where: { id: sha256(sessionId) }, data: { secondFactor } });
  }

  async #newSession(db: Pick<PrismaClient, "staffSession">, userId: string, secondFactor: boolean): Promise<NewSession> {
    const id = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    const now = this.clock();
    await db.staffSession.create({
      data: { id: sha256(id), userId, csrfToken, secondFactor, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) },
    });
    return { sessionId: id, csrfToken };
  }
}
