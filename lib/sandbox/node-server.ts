/** Serves a fetch-style handler over node:http, aborting the request's signal when the client leaves. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Handler } from "./providers";

export async function serve(handler: Handler, options: { host: string; port: number }) {
  const server = http.createServer(async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(`http://${req.headers.host ?? options.host}${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, v] as [string, string]),
        ),
        body: hasBody ? Buffer.concat(chunks) : undefined,
        signal: controller.signal,
      });
      const response = await handler(request);
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
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
