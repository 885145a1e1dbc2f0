/**
 * What reaches `next start` that Next.js cannot serve, answered by the server itself before
 * Next.js sees it, in the error envelope with every security header:
 * - a method no route takes (TRACE, WebDAV's PROPFIND…): 501. Next.js cannot build a fetch Request
 *   for it, and answers TRACE with a bare 500 and a stack trace in the log;
 * - a request target that is not a path: `*` (Next.js answers a bare 500 and logs a stack trace)
 *   is 400, but `OPTIONS *` 204; a full URL is served as its path when it names this server
 *   (RFC 9112 asks servers to take that form), and 400 otherwise, where Next.js would redirect to
 *   the host it names;
 * - OPTIONS on a page, which Next.js answers with an empty 400: 204 with what pages take; and
 *   PUT, PATCH or DELETE on one, which Next.js renders as if it were a GET: 405 with `Allow`;
 * - more than one Authorization or Host header, of which Node.js would keep the first and drop the
 *   rest: 400 (RFC 9112 asks it of a second Host);
 * - a `__proto__` query parameter on an API route: 400, as any unknown parameter. Next.js drops it
 *   while parsing the URL, so the route would never see it, and act as if it were not there;
 * - the headers a proxy in front writes: the client address (x-real-ip, x-forwarded-for), which
 *   rate limits key on, and the host the client asked for (x-forwarded-host), which the origin
 *   check of forms and server actions compares with. A client talking to this server directly
 *   could write anything there, so unless a proxy in front sets them (Vercel, or
 *   TRUST_PROXY_HEADERS=1), x-real-ip is the connection's own address, and x-forwarded-for and
 *   x-forwarded-host go (the Host header is the host);
 * - on a server bound to a loopback address (npm run demo), a Host header naming any other site:
 *   400. A page whose name an attacker points at 127.0.0.1 (DNS rebinding) would otherwise be
 *   same-origin with this server, and could read the sandbox mailbox's sign-in links;
 * - what Node.js's own parser refuses (headers too large, a request that never finished arriving,
 *   malformed framing), and an HTTP/1.1 request without a Host header (which Node.js answers itself,
 *   before any listener, unless told not to): the status Node.js would answer with, where it would
 *   send no body.
 * - CONNECT, which Node.js hands to a proxy's listener (none here) and would otherwise answer by
 *   closing the connection: 501, as any method no route takes.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { AppError } from "./errors/app-error";
import { SERVED_METHODS } from "./http-methods";
import { isLoopback } from "./listen-address";
import { log } from "./log";
import { jsonContentSecurityPolicy, securityHeaders } from "./security-headers.mjs";

const INSTALLED = Symbol.for("conductor-onboarding.raw-request-guard");

const answerHeaders = (length: number): Record<string, string | number> => ({
  ...Object.fromEntries(securityHeaders.map(({ key, value }) => [key, value])),
  "Content-Security-Policy": jsonContentSecurityPolicy,
  "Cache-Control": "no-store",
  "Content-Type": "application/json",
  "Content-Length": length,
});

/** The request's target as a path: itself, or a full URL's path and query when it names this server. */
function ownPath(request: http.IncomingMessage): string | null {
  const target = request.url ?? "";
  if (target.startsWith("/")) return target;
  try {
    const url = new URL(target);
    return /^https?:$/.test(url.protocol) && url.host === request.headers.host ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

type Answer = AppError | "server-options" | "page-options";

/** What pages take: GET (and HEAD), and POST for their forms' server actions. */
const PAGE_METHODS = "GET, HEAD, OPTIONS, POST";
const NOT_ON_PAGES: ReadonlySet<string> = new Set(["PUT", "PATCH", "DELETE"]);

/** Whether a proxy this server trusts wrote the forwarded headers (see trustProxyHeaders). */
let proxyWritesForwardedHeaders = false;

/** Called at start, once the environment is read: on Vercel, whose edge sets them, or with TRUST_PROXY_HEADERS. */
export function trustProxyHeaders(trusted: boolean): void {
  proxyWritesForwardedHeaders = trusted;
}

/** The names a loopback-bound server answers to besides loopback ones (AUTH_URL's); null: any name. */
let servedHostnames: ReadonlySet<string> | null = null;

/**
 * Called at start: a server bound to a loopback address, with no proxy in front whose headers it
 * trusts, answers only to loopback names and to `hostnames`.
 */
export function answerOnlyAt(hostnames: readonly string[] | null): void {
  servedHostnames = hostnames && new Set(hostnames.map((name) => name.toLowerCase()));
}

const WRONG_HOST_LOG_MS = 60_000;
let wrongHostLoggedAt = 0;

/** A proxy passing on the public name, with AUTH_URL unset, meets this: the log says why, once a minute. */
function namesAnotherSite(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return true;
  }
  if (isLoopback(hostname) || servedHostnames!.has(hostname)) return false;
  const now = Date.now();
  if (now - wrongHostLoggedAt >= WRONG_HOST_LOG_MS) {
    wrongHostLoggedAt = now;
    log.warn("request.wrong_host", {
      host: host.slice(0, 100),
      hint: "this server is bound to a loopback address and answers only to loopback names and AUTH_URL's host: set AUTH_URL to the address people use",
    });
  }
  return true;
}

function ownForwardedHeaders(request: http.IncomingMessage): void {
  if (proxyWritesForwardedHeaders) return;
  request.headers["x-real-ip"] = request.socket.remoteAddress ?? "";
  delete request.headers["x-forwarded-for"];
  delete request.headers["x-forwarded-host"];
}

const notImplemented = (method: string) =>
  new AppError("method_not_implemented", `This server does not take ${method} requests.`);

/** The first header of those sent more than once, of those whose second Node.js drops unseen. */
function repeatedHeader(request: http.IncomingMessage): "authorization" | "host" | null {
  const seen = new Set<string>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    if (name !== "authorization" && name !== "host") continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

/** Why the server answers this request itself, or null when Next.js may serve it. */
function refusalOf(request: http.IncomingMessage): Answer | null {
  const method = request.method ?? "";
  if (!SERVED_METHODS.has(method)) return notImplemented(method);
  const repeated = repeatedHeader(request);
  if (repeated) {
    const name = repeated === "host" ? "Host" : "Authorization";
    return AppError.invalid({ [repeated]: ["must be sent once"] }, `The request has more than one ${name} header.`);
  }
  const host = request.headers.host;
  if (request.httpVersion === "1.1" && (typeof host !== "string" || host === "")) {
    return AppError.invalid({ host: ["is required in HTTP/1.1"] }, "The request has no Host header.");
  }
  if (servedHostnames && typeof host === "string" && host !== "" && namesAnotherSite(host)) {
    return AppError.invalid(
      { host: ["is not an address of this server"] },
      "This server does not answer to the host this request names.",
    );
  }
  if (request.url === "*" && method === "OPTIONS") return "server-options";
  const target = ownPath(request);
  if (target === null) {
    return AppError.invalid({ target: ["must be a path, such as /api/health"] }, "The request target is not a path.");
  }
  request.url = target;
  // Only a query, or a method pages answer differently, asks more of the path.
  if (method !== "OPTIONS" && !NOT_ON_PAGES.has(method) && !target.includes("?")) return null;
  let url: URL;
  try {
    // As Next.js will route it, dot segments resolved.
    url = new URL(`http://server${target}`);
  } catch {
    return null;
  }
  const api = url.pathname.startsWith("/api/");
  if (method === "OPTIONS" && !api) return "page-options";
  if (NOT_ON_PAGES.has(method) && !api) {
    return new AppError("method_not_allowed", `Pages take GET, HEAD and POST (a form's action), not ${method}.`);
  }
  if (api && [...url.searchParams.keys()].includes("__proto__")) {
    // As the route's own check words it; built from entries, as `__proto__` in a literal is no key.
    const fields = Object.fromEntries([["__proto__", ["is not a known field"]]]) as Record<string, string[]>;
    return AppError.invalid(fields, "Invalid query: __proto__.");
  }
  return null;
}

function refuse(request: http.IncomingMessage, response: http.ServerResponse, refusal: Answer) {
  request.resume();
  if (refusal === "server-options" || refusal === "page-options") {
    const allow = refusal === "server-options" ? [...SERVED_METHODS].join(", ") : PAGE_METHODS;
    response.writeHead(204, { ...answerHeaders(0), Allow: allow });
    return void response.end();
  }
  const body = JSON.stringify(refusal.toBody());
  const allow = refusal.code === "method_not_allowed" ? { Allow: PAGE_METHODS } : {};
  response.writeHead(refusal.status, { ...answerHeaders(Buffer.byteLength(body)), ...allow });
  response.end(body);
}

/** Node.js's parser errors, by the status it gives them (400 for the rest). */
function parserRefusal(code: string | undefined): AppError {
  if (code === "HPE_HEADER_OVERFLOW") return new AppError("headers_too_large");
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return new AppError("request_timeout");
  return AppError.invalid({ request: ["is not well-formed HTTP/1.1"] }, "The request could not be read.");
}

/** How long a connection answered on its socket stays for the client to read the answer and close it. */
const ANSWERED_SOCKET_CLOSE_MS = 2_000;

/** A refusal written on the connection itself, which then closes: no response object stands for it. */
function answerOnSocket(socket: Duplex, refusal: AppError) {
  // After a CONNECT, Node.js has taken its own listeners off the socket: without an error listener
  // a client's reset is an uncaught error. On either path, a client that keeps its half of the
  // connection open would hold it for good without the timer.
  socket.on("error", () => socket.destroy());
  const closing = setTimeout(() => socket.destroy(), ANSWERED_SOCKET_CLOSE_MS).unref();
  socket.once("close", () => clearTimeout(closing));
  const body = JSON.stringify(refusal.toBody());
  const headers = Object.entries(answerHeaders(Buffer.byteLength(body)))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\n${headers}Connection: close\r\n\r\n${body}`,
  );
}

/** As Node.js answers a client error when nothing listens for it, but in the error envelope. */
function answerClientError(error: Error & { code?: string }, socket: Duplex) {
  const response = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent) return void socket.destroy();
  answerOnSocket(socket, parserRefusal(error.code));
}

function refuseConnect(_request: http.IncomingMessage, socket: Duplex) {
  if (socket.writable) answerOnSocket(socket, notImplemented("CONNECT"));
  else socket.destroy();
}

/** Guards every HTTP server of this process, once however often it is called. */
export function guardRawRequests(): void {
  const prototype = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const emit = prototype.emit;
  prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "connection") {
      // Node.js answers a missing Host itself with an empty 400; refusalOf answers it instead.
      // Set before the connection's first request is parsed: this guard is installed after listen.
      (this as http.Server & { requireHostHeader: boolean }).requireHostHeader = false;
      // Without a listener Node.js closes a CONNECT's connection unanswered.
      if (this.listenerCount("connect") === 0) this.on("connect", refuseConnect);
    } else if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      ownForwardedHeaders(request);
      const refusal = refusalOf(request);
      if (refusal) {
        refuse(request, response, refusal);
        return true;
      }
    } else if (event === "clientError") {
      answerClientError(...(args as [Error, Duplex]));
      return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
