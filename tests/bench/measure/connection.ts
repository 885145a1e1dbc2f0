/**
 * A single keep-alive connection, one request at a time, timed with hrtime from the first byte
 * written to the last byte read: the "1 connection" latencies of the table, to the microsecond.
 */
import http from "node:http";

export type Reply = { status: number; body: string; ms: number; headers: http.IncomingHttpHeaders };
export type Send = { method?: string; headers?: Record<string, string>; body?: string | Buffer };

export class Connection {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;

  constructor(
    origin: string,
    private readonly headers: Record<string, string> = {},
  ) {
    this.url = new URL(origin);
  }

  request(path: string, send: Send = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = { ...this.headers, ...send.headers };
      if (send.body !== undefined) headers["content-length"] = String(Buffer.byteLength(send.body));
      const started = process.hrtime.bigint();
      const request = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: send.method ?? "GET",
          headers,
          agent: this.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              ms,
              headers: response.headers,
            });
          });
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(send.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` requests one after another; each reply must pass `check`. Returns the latencies. */
export async function sequential(
  count: number,
  next: (i: number) => Promise<Reply>,
  check: (reply: Reply) => boolean,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await next(i);
    if (!check(reply)) throw new Error(`unexpected answer ${reply.status}: ${reply.body.slice(0, 300)}`);
    latencies.push(reply.ms);
  }
  return latencies;
}
