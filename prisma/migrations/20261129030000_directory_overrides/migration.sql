-- CreateTable
CREATE TABLE "directory_override" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "phone" TEXT,
    "website" TEXT,
    "languages" TEXT[],
    "example" BOOLEAN NOT NULL,
    "texts" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "directory_override_pkey" PRIMARY KEY ("id")
);


