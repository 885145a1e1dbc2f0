import "server-only";
import { db } from "@/lib/db/client";

/** The email a signed-up person signs in with, by their user id (a customer's sourceId); null for no such person. */
export async function signInEmailOf(userId: string): Promise<string | null> {
  const user = await (await db()).user.findUnique({ where: { id: userId }, select: { email: true } });
  return user?.email ?? null;
}
