-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "broadcast_id" UUID;

-- AlterTable
ALTER TABLE "staff_user" ADD COLUMN     "chat_code_expires_at" TIMESTAMP(3),
ADD COLUMN     "chat_code_hash" TEXT,
ADD COLUMN     "chat_pseudonym" TEXT;

-- CreateTable
CREATE TABLE "subscription" (
    "id" UUID NOT NULL,
    "resident_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "topic" TEXT,
    "neighbourhood" TEXT,
    "organisation_id" UUID,
    "channel" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_record" (
    "id" BIGSERIAL NOT NULL,
    "resident_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcast" (
    "id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "created_by_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "scheduled_for" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "fanned_out_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "cancelled_at" TIMESTAMP(3),
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "skipped_quiet" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "subscription_organisation_id_idx" ON "subscription"("organisation_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_resident_id_key_key" ON "subscription"("resident_id", "key");

-- CreateIndex
CREATE INDEX "consent_record_resident_id_at_idx" ON "consent_record"("resident_id", "at");

-- CreateIndex
CREATE INDEX "broadcast_status_scheduled_for_idx" ON "broadcast"("status", "scheduled_for");

-- CreateIndex
CREATE INDEX "broadcast_activity_id_idx" ON "broadcast"("activity_id");

-- CreateIndex
CREATE INDEX "outbound_message_broadcast_id_status_idx" ON "outbound_message"("broadcast_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "staff_user_chat_pseudonym_key" ON "staff_user"("chat_pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "staff_user_chat_code_hash_key" ON "staff_user"("chat_code_hash");

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_record" ADD CONSTRAINT "consent_record_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast" ADD CONSTRAINT "broadcast_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast" ADD CONSTRAINT "broadcast_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;


