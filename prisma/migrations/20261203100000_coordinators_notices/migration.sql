-- AlterTable
ALTER TABLE "handoff" ADD COLUMN     "check_in_answered_at" TIMESTAMP(3),
ADD COLUMN     "match_facts" JSONB,
ADD COLUMN     "pro_seen_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "staff_invite" ADD COLUMN     "first_admin" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "staff_notice" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "link" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMP(3),
    "email_status" TEXT,
    "email_attempts" INTEGER NOT NULL DEFAULT 0,
    "email_claimed_at" TIMESTAMP(3),
    "email_error" TEXT,

    CONSTRAINT "staff_notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_notice_user_id_read_at_idx" ON "staff_notice"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "staff_notice_email_status_created_at_idx" ON "staff_notice"("email_status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "staff_notice_user_id_key_key" ON "staff_notice"("user_id", "key");

-- AddForeignKey
ALTER TABLE "staff_notice" ADD CONSTRAINT "staff_notice_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;


