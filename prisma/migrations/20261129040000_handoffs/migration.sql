-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "accept_working_days" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "professional" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "organisation_id" UUID NOT NULL,
    "staff_user_id" UUID,
    "topics" TEXT[],
    "languages" TEXT[],
    "neighbourhoods" TEXT[],
    "availability" JSONB NOT NULL,
    "max_open_cases" INTEGER NOT NULL DEFAULT 8,
    "backup_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "example" BOOLEAN NOT NULL DEFAULT false,
    "last_assigned_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "professional_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "professional_text" (
    "professional_id" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "intro" VARCHAR(400) NOT NULL,
    "walk_in" VARCHAR(300),

    CONSTRAINT "professional_text_pkey" PRIMARY KEY ("professional_id","language")
);

-- CreateTable
CREATE TABLE "handoff" (
    "id" UUID NOT NULL,
    "resident_id" UUID NOT NULL,
    "professional_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "phone_enc" TEXT,
    "summary" JSONB NOT NULL,
    "match_reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "outcome" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'await_accept',
    "next_action_at" TIMESTAMP(3),
    "accept_by" TIMESTAMP(3) NOT NULL,
    "reminded_at" TIMESTAMP(3),
    "escalated_at" TIMESTAMP(3),
    "accepted_at" TIMESTAMP(3),
    "first_contact_at" TIMESTAMP(3),
    "check_in_sent_at" TIMESTAMP(3),
    "check_in_answer" TEXT,
    "closed_at" TIMESTAMP(3),
    "purge_after" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handoff_message" (
    "id" BIGSERIAL NOT NULL,
    "handoff_id" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "body_enc" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "held_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "handoff_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "professional_staff_user_id_key" ON "professional"("staff_user_id");

-- CreateIndex
CREATE INDEX "handoff_professional_id_status_idx" ON "handoff"("professional_id", "status");

-- CreateIndex
CREATE INDEX "handoff_resident_id_status_idx" ON "handoff"("resident_id", "status");

-- CreateIndex
CREATE INDEX "handoff_next_action_at_idx" ON "handoff"("next_action_at");

-- CreateIndex
CREATE INDEX "handoff_message_handoff_id_id_idx" ON "handoff_message"("handoff_id", "id");

-- AddForeignKey
ALTER TABLE "professional" ADD CONSTRAINT "professional_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "professional" ADD CONSTRAINT "professional_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "professional" ADD CONSTRAINT "professional_backup_id_fkey" FOREIGN KEY ("backup_id") REFERENCES "professional"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "professional_text" ADD CONSTRAINT "professional_text_professional_id_fkey" FOREIGN KEY ("professional_id") REFERENCES "professional"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_professional_id_fkey" FOREIGN KEY ("professional_id") REFERENCES "professional"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff_message" ADD CONSTRAINT "handoff_message_handoff_id_fkey" FOREIGN KEY ("handoff_id") REFERENCES "handoff"("id") ON DELETE CASCADE ON UPDATE CASCADE;


