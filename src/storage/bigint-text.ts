import { z } from "zod";

/**
 * A bigint column (a `seq`) as the SqlRunner hands it back, as a decimal string: pg gives a bigint as a string,
 * PGlite as a number or a bigint. Kept as text because sequence numbers may pass 2^53.
 */
export const bigintTextSchema = z.union([z.bigint(), z.number(), z.string()]).transform(String);
