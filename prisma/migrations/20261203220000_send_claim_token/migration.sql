-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "claim_token" TEXT;
