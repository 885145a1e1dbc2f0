/**
 * Row 5: the operator's /end-users page, server-rendered, from two instances of our app side by
 * side — one on a database of 10 cached rows, one on 10,000 — alternating run by run: the first
 * page, a deep page (a cursor near the end), a search and a connection-status filter, each
 * rendering 10 rows (`limit=10`) in both, so only the amount of data differs. Every page also
 * counts the cache by status for its filter chips. One connection each, sequential requests.
 */
import type { Row } from "../report";
import { type Bench, RUNS } from "../context";
import { Connection, sequential, type Reply } from "../measure/connection";
import { progress } from "../measure/progress";
import { cursorAboveNewest, cursorAt, STATUS_OF_ZEBRAS, ZEBRA } from "../seed";
import { median, ms, percentile, ratio } from "../measure/stats";

const PER_RUN = 100;
const WARM_UP = 50;
const PAGE = 10;
const TARGET_RATIO = 1.5;
const KINDS = ["first page", "deep page (cursor)", "search", "status filter (?status=)"] as const;

type Kind = (typeof KINDS)[number];
type Side = { connection: Connection; paths: Record<Kind, string>; runs: Record<Kind, { p50: number; p99: number }[]> };

/** Ten rows in the table body, and no error notice. */
const rendersPage = (reply: Reply) =>
  reply.status === 200 && (reply.body.match(/<tr>/g)?.length ?? 0) === PAGE + 1 && !reply.body.includes("notice-warn");

async function side(origin: string, cookie: string, databaseUrl: string, cachedRows: number): Promise<Side> {
  // Deep page: the last 10 rows; with only 10 rows, a cursor just above the newest (all 10).
  const cursor =
    cachedRows > PAGE ? await cursorAt(databaseUrl, cachedRows - PAGE - 1) : await cursorAboveNewest(databaseUrl);
  return {
    connection: new Connection(origin, { cookie }),
    paths: {
      "first page": `/end-users?limit=${PAGE}`,
      "deep page (cursor)": `/end-users?limit=${PAGE}&cursor=${cursor}`,
      search: `/end-users?limit=${PAGE}&q=${encodeURIComponent(ZEBRA.toLowerCase())}`,
      "status filter (?status=)": `/end-users?limit=${PAGE}&status=${STATUS_OF_ZEBRAS}`,
    },
    runs: { "first page": [], "deep page (cursor)": [], search: [], "status filter (?status=)": [] },
  };
}

async function time(s: Side, kind: Kind, count: number) {
  const latencies = await sequential(count, () => s.connection.request(s.paths[kind]), rendersPage);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function measureList(bench: Bench): Promise<Row[]> {
  const small = await side(bench.tenRows.app.origin, bench.tenRows.operator.cookie, bench.tenRows.databaseUrl, 10);
  const large = await side(bench.app.origin, bench.operator.cookie, bench.databaseUrl, 10_000);
  try {
    for (const kind of KINDS) for (const s of [small, large]) await time(s, kind, WARM_UP);
    for (let run = 1; run <= RUNS; run++) {
      progress(`row 5: run ${run} of ${RUNS} (${PER_RUN} requests per page and size)`);
      for (const kind of KINDS) for (const s of [small, large]) s.runs[kind].push(await time(s, kind, PER_RUN));
    }
  } finally {
    small.connection.close();
    large.connection.close();
  }
  const at = (s: Side, kind: Kind) => ({
    p50: median(s.runs[kind].map((r) => r.p50)),
    p99: median(s.runs[kind].map((r) => r.p99)),
  });
  return KINDS.map((kind) => {
    const [ten, tenThousand] = [at(small, kind), at(large, kind)];
    const factor = tenThousand.p50 / ten.p50;
    return {
      n: 5,
      what: `/end-users ${kind}, 10 vs 10,000 cached rows (1 conn., ${PAGE} rows rendered)`,
      result: `10,000 rows: p50 ${ms(tenThousand.p50)}, p99 ${ms(tenThousand.p99)}`,
      compared: `10 rows: p50 ${ms(ten.p50)}, p99 ${ms(ten.p99)} → p50 ${ratio(factor)}`,
      target: `p50 ≤ ${ratio(TARGET_RATIO)} the 10-row p50`,
      met: factor <= TARGET_RATIO,
    };
  });
}
