-- CreateTable
CREATE TABLE "activity" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "created_by_id" UUID,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3),
    "place" TEXT NOT NULL,
    "neighbourhood" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "rejection_reason" TEXT,
    "approved_by_id" UUID,
    "approved_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activity_text" (
    "activity_id" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "title" VARCHAR(80) NOT NULL,
    "description" VARCHAR(600) NOT NULL,

    CONSTRAINT "activity_text_pkey" PRIMARY KEY ("activity_id","language")
);

-- CreateIndex
CREATE INDEX "activity_organisation_id_starts_at_idx" ON "activity"("organisation_id", "starts_at");

-- CreateIndex
CREATE INDEX "activity_status_starts_at_idx" ON "activity"("status", "starts_at");

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity_text" ADD CONSTRAINT "activity_text_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
