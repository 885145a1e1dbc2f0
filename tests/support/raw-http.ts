/** HTTP/1.1 exchanges that fetch and node:http will not send: any request line, repeated headers, a body cut short. */
import net from "node:net";

export type RawAnswer = { status: number; headers: Record<string, string>; body: string };

function parse(received: Buffer): RawAnswer {
  const headEnd = received.indexOf("\r\n\r\n");
  const head = received.subarray(0, headEnd === -1 ? received.length : headEnd).toString("utf8");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = headEnd === -1 ? Buffer.alloc(0) : received.subarray(headEnd + 4);
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: (headers["transfer-encoding"] === "chunked" ? unchunked(body) : body).toString("utf8"),
  };
}

/** The body of a chunked answer: chunk sizes count bytes, so it is cut before it is decoded. */
function unchunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (let at = 0; ;) {
    const lineEnd = body.indexOf("\r\n", at);
    const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) return Buffer.concat(chunks);
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Sends `request` as written (CRLFs included) to `origin` and reads the answer until the server closes. */
export function rawExchange(origin: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("end", () => resolve(parse(Buffer.concat(received))));
    socket.on("error", reject);
    socket.write(request);
  });
}

/** Sends `head` and part of a body, then leaves without reading an answer. */
export function abandonRequest(origin: string, head: string, partialBody: string): Promise<void> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${head}\r\n\r\n${partialBody}`);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 200);
    });
    socket.on("error", reject);
  });
}

/**
 * Sends `request` on a connection that keeps its own half open once the server has answered
 * (`allowHalfOpen`), waits `afterMs`, then writes again: whether the server had closed the
 * connection by then (the write is reset) or still holds it open.
 */
export function serverClosesHalfOpen(origin: string, request: string, afterMs: number): Promise<boolean> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    let closed = false;
    socket.on("error", () => (closed = true));
    socket.on("data", () => undefined);
    socket.once("end", () =>
      setTimeout(() => {
        // The first write after the server closed is answered with a reset, the next one fails.
        socket.write("x");
        setTimeout(() => {
          socket.write("x", () => undefined);
          setTimeout(() => {
            socket.destroy();
            resolve(closed);
          }, 300);
        }, 300);
      }, afterMs),
    );
    socket.write(request);
  });
}
