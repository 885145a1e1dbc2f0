/**
 * When the sandbox Conductor, served by the bench's own process, received each request and
 * finished answering it, on the same clock as the bench's timers (hrtime, in nanoseconds): a
 * request through the app splits into what the app did before it called Conductor and after
 * Conductor answered, measured from outside, with nothing added to the app.
 */
import type http from "node:http";

export type Exchange = { method: string; path: string; received: bigint; answered: bigint };

export function watchExchanges(server: http.Server) {
  let last: Exchange | null = null;
  server.prependListener("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const received = process.hrtime.bigint();
    response.once("finish", () => {
      last = { method: request.method ?? "", path: request.url ?? "", received, answered: process.hrtime.bigint() };
    });
  });
  return {
    /** The last exchange answered since `since` (hrtime), if it was `method` on a path ending in `path`. */
    since(since: bigint, method: string, path: string): Exchange | null {
      return last && last.received >= since && last.method === method && last.path.endsWith(path) ? last : null;
    },
  };
}
