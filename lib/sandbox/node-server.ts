/**
 * Serves a fetch-style handler over node:http, aborting the request's signal when the client
 * leaves. Requests are addressed to the server's own origin, whatever their Host header says (the
 * sandbox builds links from it); what cannot become a fetch Request (TRACE), or fails in the
 * handler, is answered by `unhandled` in the provider's own shape.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Handler } from "./providers";
import { BODY_LIMIT_BYTES } from "./responses";

type Unhandled = (url: URL, method: string, status: 404 | 500) => Response;

async function send(res: http.ServerResponse, response: Response) {
  if (res.destroyed) return;
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read())
      await new Promise<void>((resolve, reject) => res.write(read.value, (e) => (e ? reject(e) : resolve())));
  } catch {
    // A body that fails midway is cut off, as a dropped connection cuts it.
    void reader.cancel().catch(() => {});
    return void res.destroy();
  }
  res.end();
}

export async function serve(handler: Handler, options: { host: string; port: number; unhandled: Unhandled }) {
  let origin = "";
  const server = http.createServer(async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    // Only the path and query are the client's: a full URL in the request line names no other host.
    const parsed = new URL(req.url ?? "/", origin);
    const url = new URL(`${parsed.pathname}${parsed.search}`, origin);
    const method = req.method ?? "GET";
    let request: Request;
    try {
      // The whole body is read, so the connection stays usable, but no more of it is kept than a
      // route takes: past BODY_LIMIT_BYTES, routes refuse it for its size, whatever follows.
      const chunks: Buffer[] = [];
      let kept = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (kept > BODY_LIMIT_BYTES) continue;
        chunks.push(chunk);
        kept += chunk.byteLength;
      }
      const hasBody = method !== "GET" && method !== "HEAD";
      request = new Request(url, {
        method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, v] as [string, string]),
        ),
        body: hasBody ? Buffer.concat(chunks) : undefined,
        signal: controller.signal,
      });
    } catch {
      return send(res, options.unhandled(url, method, 404));
    }
    let response: Response;
    try {
      response = await handler(request);
    } catch {
      response = options.unhandled(url, method, 500);
    }
    await send(res, response);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host}:${port}`;
  return {
    port,
    origin,
    /** The Node.js server itself, for watching its exchanges from outside (the bench times them). */
    httpServer: server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
