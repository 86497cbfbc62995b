-- AlterTable
ALTER TABLE "resident" ADD COLUMN     "insight_month" DATE,
ADD COLUMN     "insight_week" DATE;

-- CreateTable
CREATE TABLE "insight_counter" (
    "period" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "neighbourhood" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "option" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "insight_counter_pkey" PRIMARY KEY ("period","period_start","neighbourhood","language","channel","topic","metric","option")
);

-- CreateTable
CREATE TABLE "insight_population" (
    "neighbourhood" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "source" VARCHAR(200) NOT NULL,
    "as_of" DATE NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "insight_population_pkey" PRIMARY KEY ("neighbourhood","language")
);

-- CreateIndex
CREATE INDEX "insight_counter_metric_period_start_idx" ON "insight_counter"("metric", "period_start");


