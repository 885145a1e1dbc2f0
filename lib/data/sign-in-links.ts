/**
 * Sign-in links (next-auth's verification tokens): a new one for an address replaces those sent
 * to it before, so only the newest mail in an inbox signs anyone in.
 */
import "server-only";
import type { VerificationToken } from "next-auth/adapters";
import { db } from "@/lib/db/client";

/** A namespace of the two-key advisory locks, apart from the refresh's one-key lock. */
const SIGN_IN_LINK_LOCK = 0x5349474e; // "SIGN"

export async function replaceSignInLinks(link: VerificationToken): Promise<VerificationToken> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    // Two requests for one address at once (a double click) would otherwise each keep their own.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGN_IN_LINK_LOCK}::int, hashtext(${link.identifier}))`;
    await tx.verificationToken.deleteMany({ where: { identifier: link.identifier } });
    return tx.verificationToken.create({ data: link });
  });
}
