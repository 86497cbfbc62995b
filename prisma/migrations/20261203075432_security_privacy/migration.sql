-- AlterTable
ALTER TABLE "conversation" ADD COLUMN     "state_enc" TEXT,
ALTER COLUMN "state" DROP NOT NULL;

-- AlterTable
ALTER TABLE "staff_user" ADD COLUMN     "totp_reset_at" TIMESTAMP(3),
ADD COLUMN     "totp_reset_by" TEXT;

-- DropTable
DROP TABLE "login_throttle";

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rate_limit_expire_idx" ON "rate_limit"("expire");

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_at_idx" ON "audit_event"("actor_id", "at");


-- Platform message ids are stored as keyed hashes from now on (they encode the sender's number on
-- WhatsApp). Ids written before this in plain text go: acknowledged deliveries are not redelivered, and
-- sent messages' ids only served status callbacks.
DELETE FROM "inbound_message" WHERE "processed_at" IS NOT NULL;
UPDATE "outbound_message" SET "platform_message_id" = NULL WHERE "platform_message_id" IS NOT NULL;
