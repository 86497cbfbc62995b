import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Cipher } from "../crypto/cipher.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { LoginThrottle } from "./login-throttle.js";
import { DUMMY_HASH, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.js";
import { newTotpSecret, verifyTotp } from "./totp.js";

export const ROLES = ["admin", "professional", "keyfigure"] as const;
export const roleSchema = z.enum(ROLES);
/** What a panel user may do: admin (municipality / wijkregie), professional, or key figure. */
export type Role = z.infer<typeof roleSchema>;

/** Roles that must use a second factor (TOTP). */
export const TWO_FACTOR_ROLES: ReadonlySet<Role> = new Set(["admin", "professional"]);

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
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Why a login or invitation did not go through, in words the panel can show. */
export class AuthError extends Error {
  override name = "AuthError";
  constructor(
    readonly code: "bad-credentials" | "throttled" | "bad-code" | "invite-invalid" | "weak-password" | "disabled",
    readonly retryAfterMs = 0,
  ) {
    super(code);
  }
}

/** Accounts, invitations, sessions and second factors for the panel. */
export class StaffAuth {
  readonly throttle: LoginThrottle;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: Cipher,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.throttle = new LoginThrottle(prisma, clock);
  }

  /** Creates a one-time invitation; returns the token for the link (shown once, stored hashed). */
  async invite(opts: { email: string; displayName: string; role: Role; organisationId: string | null; createdById: string | null }): Promise<string> {
    const token = randomBytes(32).toString("base64url");
    await this.prisma.staffInvite.create({
      data: {
        tokenHash: sha256(token),
        email: opts.email.trim().toLowerCase(),
        displayName: opts.displayName.trim(),
        role: opts.role,
        organisationId: opts.organisationId,
        createdById: opts.createdById,
        expiresAt: new Date(this.clock().getTime() + INVITE_TTL_MS),
      },
    });
    return token;
  }

  /** The invitation behind a token, if it is unused and not expired. */
  async findInvite(token: string) {
    const invite = await this.prisma.staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
    if (!invite || invite.usedAt || invite.expiresAt < this.clock()) return undefined;
    return invite;
  }

  /** Turns an invitation into an account with a password, and signs the new user in. */
  async acceptInvite(token: string, password: string): Promise<string> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new AuthError("weak-password");
    const passwordHash = await hashPassword(password);
    return this.prisma.$transaction(async (tx) => {
      const invite = await tx.staffInvite.findUnique({ where: { tokenHash: sha256(token) } });
      if (!invite || invite.usedAt || invite.expiresAt < this.clock()) throw new AuthError("invite-invalid");
      const used = await tx.staffInvite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: this.clock() } });
      if (used.count !== 1) throw new AuthError("invite-invalid");
      const user = await tx.staffUser.upsert({
        where: { email: invite.email },
        create: { email: invite.email, displayName: invite.displayName, role: invite.role, organisationId: invite.organisationId, passwordHash },
        update: { displayName: invite.displayName, role: invite.role, organisationId: invite.organisationId, passwordHash, disabledAt: null },
      });
      return this.#newSession(tx, user.id, false);
    });
  }

  /** Checks e-mail and password (slowed down after failures); returns a new session id. */
  async login(email: string, password: string, clientKey: string): Promise<string> {
    const address = email.trim().toLowerCase();
    const keys = [`email:${sha256(address)}`, `client:${sha256(clientKey)}`];
    const wait = await this.throttle.waitMs(keys);
    if (wait > 0) throw new AuthError("throttled", wait);
    const user = await this.prisma.staffUser.findUnique({ where: { email: address } });
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      await this.throttle.fail(keys);
      throw new AuthError("bad-credentials");
    }
    if (user.disabledAt) throw new AuthError("disabled");
    await this.throttle.succeed(keys[0]!);
    return this.#newSession(this.prisma, user.id, false);
  }

  /** Checks a TOTP code for the session's user and completes the sign-in; a code works once. */
  async verifySecondFactor(sessionId: string, code: string): Promise<void> {
    const session = await this.prisma.staffSession.findUnique({ where: { id: sha256(sessionId) }, include: { user: true } });
    const user = session?.user;
    if (!session || !user?.totpSecretEnc) throw new AuthError("bad-code");
    const keys = [`totp:${user.id}`];
    const wait = await this.throttle.waitMs(keys);
    if (wait > 0) throw new AuthError("throttled", wait);
    const step = verifyTotp(this.cipher.decrypt(user.totpSecretEnc), code.trim(), this.clock());
    if (step === undefined || (user.totpLastStep !== null && BigInt(step) <= user.totpLastStep)) {
      await this.throttle.fail(keys);
      throw new AuthError("bad-code");
    }
    await this.throttle.succeed(keys[0]!);
    await this.prisma.staffUser.update({ where: { id: user.id }, data: { totpLastStep: BigInt(step) } });
    await this.#markSecondFactor(sessionId, true);
  }

  /** Starts TOTP set-up: a fresh secret, kept (encrypted) until a code proves the app has it. */
  async beginTotpSetup(userId: string): Promise<string> {
    const secret = newTotpSecret();
    await this.prisma.staffUser.update({ where: { id: userId }, data: { totpSecretEnc: this.cipher.encrypt(secret), totpEnabledAt: null, totpLastStep: null } });
    return secret;
  }

  /** Finishes TOTP set-up with a code from the app; the session then counts as complete. */
  async confirmTotpSetup(sessionId: string, userId: string, code: string): Promise<void> {
    const user = await this.prisma.staffUser.findUniqueOrThrow({ where: { id: userId } });
    if (!user.totpSecretEnc) throw new AuthError("bad-code");
    const step = verifyTotp(this.cipher.decrypt(user.totpSecretEnc), code.trim(), this.clock());
    if (step === undefined) throw new AuthError("bad-code");
    await this.prisma.staffUser.update({ where: { id: userId }, data: { totpEnabledAt: this.clock(), totpLastStep: BigInt(step) } });
    await this.#markSecondFactor(sessionId, true);
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
    };
  }

  async logout(sessionId: string): Promise<void> {
    await this.prisma.staffSession.deleteMany({ where: { id: sha256(sessionId) } });
  }

  /** Marks the session's second factor as done. */
  async #markSecondFactor(sessionId: string, secondFactor: boolean): Promise<void> {
    await this.prisma.staffSession.update({ where: { id: sha256(sessionId) }, data: { secondFactor } });
  }

  async #newSession(db: Pick<PrismaClient, "staffSession">, userId: string, secondFactor: boolean): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    const now = this.clock();
    await db.staffSession.create({
      data: { id: sha256(id), userId, csrfToken: randomBytes(24).toString("base64url"), secondFactor, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) },
    });
    return id;
  }
}
