/**
 * Which rows a search's page holds when few rows match. Left to itself, Postgres plans "newest
 * first, ten rows, name ILIKE" either as a walk down the createdAt index (quick when matches are
 * common) or as the trigram indexes' matches sorted (quick when they are rare), and picks by an
 * estimate of how many match that comes from ANALYZE's sample: a rare name that the sample
 * happens to hold looks common, and the walk reads the whole cache (a hundred times the work at
 * 100,000 rows). Collecting at most RARE_MATCHES matches first, through the trigram indexes (the
 * MATERIALIZED fence keeps the ORDER BY and LIMIT out of their plan), answers every rare term
 * from its matches alone; a common term falls through to the planner's own query, whose estimate
 * is then right.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import type { ConnectionStatus } from "@/lib/model/connection";
import type { LinkedProvider } from "@/lib/model/providers";
import { isoOrNull as iso } from "@/lib/platform/format";
import { readingFrom, type Position } from "./cursor";

const RARE_MATCHES = 200;

/** What a search looks for, read once per request (searchTerm). */
export type SearchTerm = {
  /** The search text, trimmed; LIKE's wildcards in it are escaped where it is used. */
  text: string;
  /** The same, folded as names are. */
  folded: string;
  /** The linked Altur or Dify ids the text is, as each provider's ids are kept: matched exactly. */
  linked: LinkedId[];
};

export type LinkedId = { provider: LinkedProvider; externalId: string };

export type SearchScope = SearchTerm & {
  status?: ConnectionStatus;
  /** The cursor's position: older rows than it, or with `newer`, newer ones. */
  from: Position | null;
  includeDeleted?: boolean;
  take: number;
};

/** Search text as the literal part of a LIKE pattern: its wildcards and escape character escaped. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The forms of search text an email may be stored in: as typed, composed (NFC) and decomposed
 * (NFD). Text without such characters has one form, and the statement is the same as for one.
 */
export const searchForms = (text: string): string[] => [
  ...new Set([text, text.normalize("NFC"), text.normalize("NFD")]),
];

/**
 * The search `q` asks for, null when it asks for none: its text trimmed, and folded as names are
 * folded into searchName (search_fold: compatibility forms as plain letters, without accents) by
 * the database's own fold, the one the names were folded by.
 */
export async function searchTerm(
  q: string | undefined,
  linkedIdsIn: (text: string) => LinkedId[] = () => [],
): Promise<SearchTerm | null> {
  const text = q?.trim();
  if (!text) return null;
  const [row] = await (await db()).$queryRaw<{ folded: string }[]>`SELECT "search_fold"(${text}) AS "folded"`;
  return { text, folded: row?.folded ?? text, linked: linkedIdsIn(text) };
}

/** End-users linked to one of `linked` (nothing when it is empty). */
const linkedTo = (linked: LinkedId[]) =>
  linked.length === 0
    ? []
    : [
        Prisma.sql`EXISTS (SELECT 1 FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND (${Prisma.join(
          linked.map(
            ({ provider, externalId }) =>
              Prisma.sql`(p."provider" = ${provider}::"ExternalProvider" AND p."externalId" = ${externalId})`,
          ),
          " OR ",
        )}))`,
      ];

/** Whether two texts fold alike (search_fold): what search would take one for the other as. */
export async function foldAlike(a: string, b: string): Promise<boolean> {
  const [row] = await (
    await db()
  ).$queryRaw<{ alike: boolean }[]>`
    SELECT "search_fold"(${a}) = "search_fold"(${b}) AS "alike"`;
  return row?.alike === true;
}

/**
 * The literal part of a LIKE pattern for names holding the search text, from its fold; null when
 * it folds to nothing but spaces (a lone accent), which every name would hold. Escaped once
 * folded: the fold turns a full-width ％ into LIKE's %.
 */
export const nameLiteral = (folded: string): string | null => (folded.trim() ? likeLiteral(folded) : null);

/**
 * The ids of the newest `take` matches in order, or null when `text` matches RARE_MATCHES rows
 * or more (then the caller's ordinary query is planned well).
 */
export async function rareMatchIds(scope: SearchScope): Promise<string[] | null> {
  const name = nameLiteral(scope.folded);
  const names = name === null ? [] : [Prisma.sql`e."searchName" ILIKE ${`%${name}%`}`];
  const emails = searchForms(scope.text).map((form) => Prisma.sql`e."email" ILIKE ${`%${likeLiteral(form)}%`}`);
  const conditions = [
    Prisma.sql`(${Prisma.join([...names, ...emails, ...linkedTo(scope.linked)], " OR ")} OR e."sourceId" = ${scope.text} OR e."id" = ${scope.text})`,
  ];
  if (!scope.includeDeleted || scope.status) conditions.push(Prisma.sql`e."deletedAt" IS NULL`);
  if (scope.status) conditions.push(Prisma.sql`e."connectionStatus" = ${scope.status}::"ConnectionStatus"`);
  // timestamp(3) holds UTC: the ISO text's "Z" is dropped by the cast, leaving the same instant.
  if (scope.from)
    conditions.push(
      Prisma.sql`(e."createdAt", e."id") ${Prisma.raw(readingFrom(scope.from).past)} (${iso(scope.from.createdAt)}::timestamp(3), ${scope.from.id})`,
    );
  const order = Prisma.raw(readingFrom(scope.from).order);
  const [found] = await (
    await db()
  ).$queryRaw<{ ids: string[]; n: number }[]>`
    WITH matches AS MATERIALIZED (
      SELECT e."id", e."createdAt" FROM "ConductorEndUser" e
      WHERE ${Prisma.join(conditions, " AND ")}
      LIMIT ${RARE_MATCHES})
    SELECT array(SELECT "id" FROM matches ORDER BY "createdAt" ${order}, "id" ${order} LIMIT ${scope.take}) AS "ids",
           (SELECT count(*) FROM matches)::int AS "n"`;
  return found && found.n < RARE_MATCHES ? found.ids : null;
}
