/**
 * next-auth's Prisma adapter over the app's one client. The client connects on first use (the
 * embedded database starts then), so each adapter method waits for it. The session read, which
 * every signed-in request makes, is the same query as a prepared statement.
 */
import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter } from "next-auth/adapters";
import { db, type PrismaClient } from "@/lib/db/client";
import { findSessionAndUser } from "./sessions";

type Method = (...args: unknown[]) => Promise<unknown>;
type Methods = Record<string, Method>;

let current: { prisma: PrismaClient; adapter: Methods } | undefined;

async function adapterForCurrentClient(): Promise<Methods> {
  const prisma = await db();
  if (current?.prisma !== prisma) current = { prisma, adapter: PrismaAdapter(prisma as never) as unknown as Methods };
  return current.adapter;
}

/**
 * The adapter; `isSessionToken` tells a token next-auth could have issued, and any other names no
 * session without a query (next-auth's own session route reads the cookie as it came).
 */
export function authAdapter(isSessionToken: (token: string) => boolean): Adapter {
  const methods = Object.keys(PrismaAdapter({} as never));
  return {
    ...Object.fromEntries(
      methods.map((name) => [name, async (...args: unknown[]) => (await adapterForCurrentClient())[name]!(...args)]),
    ),
    getSessionAndUser: (token: string) => (isSessionToken(token) ? findSessionAndUser(token) : null),
  } as Adapter;
}
