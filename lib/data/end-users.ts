/**
 * The Conductor end-user cache: reads for pages, the API and lookups, and writes of what
 * Conductor returned. Returns plain objects shaped by the selects below.
 */
import "server-only";
import { db, type Prisma, type PrismaClient } from "@/lib/db/client";
import { oldestFirst, type UpstreamEndUser } from "@/lib/conductor/schemas";
import { AppError } from "@/lib/errors/app-error";
import { lastFullSyncAt } from "./audit";
import { confirmed } from "./freshness";
import { decodeCursor, encodeCursor } from "./cursor";
import { writeUpstreamEndUsers } from "./end-user-writes";

export type Tx = Prisma.TransactionClient | PrismaClient;

const connectionSelect = {
  id: true,
  integrationSlug: true,
  createdAt: true,
  lastRequestAt: true,
  lastSuccessfulRequestAt: true,
} satisfies Prisma.IntegrationConnectionSelect;

/** PRODUCT.md's `EndUser`. */
export const endUserSelect = {
  id: true,
  sourceId: true,
  companyName: true,
  email: true,
  createdAt: true,
  syncedAt: true,
  integrationConnections: { select: connectionSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUser = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserSelect }>;

/** PRODUCT.md's `EndUser` out of any richer row (what the JSON API answers with). */
export function publicEndUser<T extends EndUser>(row: T): EndUser {
  return {
    id: row.id,
    sourceId: row.sourceId,
    companyName: row.companyName,
    email: row.email,
    createdAt: row.createdAt,
    syncedAt: row.syncedAt,
    integrationConnections: row.integrationConnections,
  };
}

const endUserListSelect = { ...endUserSelect, missingUpstreamSince: true } satisfies Prisma.ConductorEndUserSelect;

export type EndUserListItem = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>;

/** What the operator's detail page shows beyond PRODUCT.md's `EndUser`. */
const endUserDetailSelect = {
  ...endUserSelect,
  missingUpstreamSince: true,
  user: { select: { id: true, email: true } },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  const [row, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect }),
    lastFullSyncAt(),
  ]);
  return row && confirmed(row, lastSync);
}

export async function findEndUserBySourceId(sourceId: string): Promise<EndUser | null> {
  return (await db()).conductorEndUser.findUnique({ where: { sourceId }, select: endUserSelect });
}

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null };

/** Newest first, keyset-paginated by (createdAt, id); `q` matches company, email, sourceId or id. */
export async function listCachedEndUsers(options: { q?: string; cursor?: string; limit: number }): Promise<EndUserPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const q = options.q?.trim();
  // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so search text is literal.
  const text = q?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const prisma = await db();
  const [rows, lastSync] = await Promise.all([
    prisma.conductorEndUser.findMany({
    where: {
      AND: [
        q
          ? {
              OR: [
                { companyName: { contains: text, mode: "insensitive" } },
                { email: { contains: text, mode: "insensitive" } },
                { sourceId: q },
                { id: q },
              ],
            }
          : {},
        after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: endUserListSelect,
    }),
    lastFullSyncAt(),
  ]);
  const data = rows.slice(0, options.limit).map((row) => confirmed(row, lastSync));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

export async function countCachedEndUsers(): Promise<number> {
  return (await db()).conductorEndUser.count();
}

/**
 * Writes one end-user as Conductor returned it (with `alongside` steps) and answers with the
 * cached shape. When its sourceId is already cached under another id, nothing of it is cached:
 * a 409 that names the cached one.
 */
export async function saveUpstreamEndUser(upstream: UpstreamEndUser, alongside: Prisma.Sql[] = []): Promise<EndUser> {
  const syncedAt = await writeUpstreamEndUsers(await db(), [upstream], alongside);
  if (!syncedAt) {
    const cached = await findEndUserBySourceId(upstream.sourceId);
    throw new AppError("source_id_conflict", `Conductor holds another end-user with the same sourceId; the one cached is ${cached?.id ?? "gone"}.`);
  }
  const { id, sourceId, companyName, email, createdAt } = upstream;
  const integrationConnections = [...upstream.integrationConnections].sort(oldestFirst);
  return { id, sourceId, companyName, email, createdAt, syncedAt, integrationConnections };
}

