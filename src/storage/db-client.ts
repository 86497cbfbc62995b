import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** The Prisma client or an open transaction: store functions run in either. */
export type Db = Prisma.TransactionClient | PrismaClient;

/** An open transaction: for work that must commit or roll back with the rest of a batch (a desk's writes). */
export type Tx = Prisma.TransactionClient;
