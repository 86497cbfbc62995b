-- CreateTable
CREATE TABLE "resident" (
    "id" UUID NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address_enc" TEXT NOT NULL,
    "language" TEXT,
    "neighbourhood" TEXT,
    "quiet" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_inbound_at" TIMESTAMP(3),

    CONSTRAINT "resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation" (
    "resident_id" UUID NOT NULL,
    "state" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("resident_id")
);

-- CreateTable
CREATE TABLE "inbound_message" (
    "seq" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "platform_message_id" TEXT NOT NULL,
    "pseudonym" TEXT,
    "payload_enc" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "inbound_message_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "resident_id" UUID,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'reply',
    "payload_enc" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "platform_message_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),
    "read_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "web_mailbox" (
    "seq" BIGSERIAL NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "payload_enc" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "web_mailbox_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "resident_pseudonym_key" ON "resident"("pseudonym");

-- CreateIndex
CREATE INDEX "inbound_message_pseudonym_processed_at_seq_idx" ON "inbound_message"("pseudonym", "processed_at", "seq");

-- CreateIndex
CREATE INDEX "inbound_message_processed_at_received_at_idx" ON "inbound_message"("processed_at", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_channel_platform_message_id_key" ON "inbound_message"("channel", "platform_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_seq_key" ON "outbound_message"("seq");

-- CreateIndex
CREATE INDEX "outbound_message_status_created_at_idx" ON "outbound_message"("status", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_resident_id_status_seq_idx" ON "outbound_message"("resident_id", "status", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_channel_platform_message_id_key" ON "outbound_message"("channel", "platform_message_id");

-- CreateIndex
CREATE INDEX "web_mailbox_pseudonym_seq_idx" ON "web_mailbox"("pseudonym", "seq");

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_resident_id_fkey" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
