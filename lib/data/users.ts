import "server-only";
import { db } from "@/lib/db/client";

/**
 * The email the person with this user id (a customer's sourceId) signs in with, when it is not
 * `address` (in any case); null when it is, or when no person has that id.
 */
export async function otherSignInEmail(userId: string, address: string): Promise<string | null> {
  const user = await (await db()).user.findUnique({ where: { id: userId }, select: { email: true } });
  const email = user?.email ?? null;
  return email === null || email === address.toLowerCase() ? null : email;
}
