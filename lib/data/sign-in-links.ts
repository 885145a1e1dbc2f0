/**
 * Sign-in links (next-auth's verification tokens): once a new link's mail is accepted, the links
 * sent to that address before it stop working, so only the link sent last signs anyone in.
 */
import "server-only";
import { db } from "@/lib/db/client";

/**
 * Removes the address's links that expire before `expires`, the newest link's expiry (next-auth
 * stores the link and mails it with the same one). Two links asked for at once keep the later.
 */
export async function retireEarlierSignInLinks(identifier: string, expires: Date): Promise<void> {
  await (await db()).verificationToken.deleteMany({ where: { identifier, expires: { lt: expires } } });
}
