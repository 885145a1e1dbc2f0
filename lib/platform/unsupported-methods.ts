/**
 * Methods no route takes (TRACE, TRACK, WebDAV's PROPFIND…) still reach `next start`, which cannot
 * build a fetch Request for them: it answers TRACE with a bare 500 and a stack trace in the log for
 * every anonymous request, and the others with an empty 400. The server answers them itself,
 * before Next.js sees them: 501 in the error envelope. (CONNECT never reaches a request handler.)
 */
import http from "node:http";
import { AppError } from "./errors/app-error";
import { SERVED_METHODS } from "./http-methods";

const INSTALLED = Symbol.for("conductor-onboarding.unsupported-methods");

function refuse(request: http.IncomingMessage, response: http.ServerResponse): void {
  const error = new AppError("method_not_implemented", `This server does not take ${request.method} requests.`);
  const body = JSON.stringify(error.toBody());
  request.resume();
  response.writeHead(error.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(body);
}

/** Answers unsupported methods on every HTTP server of this process, once however often it is called. */
export function answerUnsupportedMethods(): void {
  const prototype = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const emit = prototype.emit;
  prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      if (!SERVED_METHODS.has(request.method ?? "")) {
        refuse(request, response);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
