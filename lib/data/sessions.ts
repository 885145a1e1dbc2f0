import "server-only";
import { db } from "@/lib/db/client";

export async function deleteSession(sessionToken: string): Promise<void> {
  await (await db()).session.deleteMany({ where: { sessionToken } });
}
