import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** The Prisma client or an open transaction: store functions run in either. */
export type Db = Prisma.TransactionClient | PrismaClient;
