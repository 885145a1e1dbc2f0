import "server-only";
import { db, Prisma } from "@/lib/db/client";
import type { Session, User } from "@/lib/db/generated/client";
import { runPrepared } from "./prepared";

export async function deleteSession(sessionToken: string): Promise<void> {
  await (await db()).session.deleteMany({ where: { sessionToken } });
}

/**
 * Ends every session of the user `sessionToken` belongs to (every browser and device), and voids
 * the sign-in links sent to their address and not yet used: whoever holds one (a lost laptop's
 * mailbox) would otherwise sign in again at once. How many sessions ended.
 */
export async function deleteEverySessionOf(sessionToken: string): Promise<number> {
  const client = await db();
  const session = await client.session.findUnique({
    where: { sessionToken },
    select: { userId: true, user: { select: { email: true } } },
  });
  if (!session) return 0;
  const email = session.user.email;
  const [ended] = await client.$transaction([
    client.session.deleteMany({ where: { userId: session.userId } }),
    ...(email ? [client.verificationToken.deleteMany({ where: { identifier: email } })] : []),
  ]);
  return ended!.count;
}

/** Moves a session's expiry (a session in use is kept alive). */
export async function extendSession(sessionToken: string, expires: Date): Promise<void> {
  await (await db()).session.updateMany({ where: { sessionToken }, data: { expires } });
}

type SessionAndUser = Session & { [K in keyof User as `user_${K & string}`]: User[K] };

/**
 * The session with its user, as next-auth's Prisma adapter answers it, in one prepared statement:
 * every signed-in request reads it first.
 */
export async function findSessionAndUser(sessionToken: string): Promise<{ session: Session; user: User } | null> {
  const [row] = await runPrepared<SessionAndUser>(Prisma.sql`
    SELECT s."sessionToken", s."userId", s."expires",
           u."id" AS "user_id", u."name" AS "user_name", u."email" AS "user_email",
           u."emailVerified" AS "user_emailVerified", u."image" AS "user_image"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."sessionToken" = ${sessionToken}`);
  if (!row) return null;
  const { sessionToken: token, userId, expires } = row;
  return {
    session: { sessionToken: token, userId, expires },
    user: {
      id: row.user_id,
      name: row.user_name,
      email: row.user_email,
      emailVerified: row.user_emailVerified,
      image: row.user_image,
    },
  };
}

/** When the sign-in link stored for `identifier` under `hashedToken` expires; null when none is (used, or replaced). */
export async function signInLinkExpiry(identifier: string, hashedToken: string): Promise<Date | null> {
  const link = await (
    await db()
  ).verificationToken.findUnique({
    where: { identifier_token: { identifier, token: hashedToken } },
    select: { expires: true },
  });
  return link?.expires ?? null;
}

/** When the newest sign-in link sent to `identifier` that still works expires; null when none does. */
export async function newestLiveSignInLink(identifier: string): Promise<Date | null> {
  const [row] = await (
    await db()
  ).$queryRaw<{ expires: Date | null }[]>`
    SELECT max("expires") AS "expires" FROM "VerificationToken"
    WHERE "identifier" = ${identifier} AND "expires" > timezone('UTC', now())`;
  return row?.expires ?? null;
}

/**
 * Once a new sign-in link's mail is accepted: removes the address's links that expire before it
 * (next-auth stores the link and mails it with the same `expires`), so only the link sent last
 * signs anyone in. Two links asked for at once keep the later.
 */
export async function retireEarlierSignInLinks(identifier: string, expires: Date): Promise<void> {
  await (await db()).verificationToken.deleteMany({ where: { identifier, expires: { lt: expires } } });
}
