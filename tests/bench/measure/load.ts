/**
 * Concurrent load with autocannon, for a fixed duration (and at most MAX_REQUESTS), over loopback. autocannon's own
 * histogram keeps whole milliseconds, so latencies are taken from its per-response event
 * (hrtime, fractional ms) instead. autocannon runs in this process and competes with the server
 * for the machine's cores; the table says so.
 */
import autocannon from "autocannon";
import { percentile } from "./stats";

export type LoadSpec = {
  origin: string;
  /** The request path, called before each request (e.g. to cycle through sourceIds). */
  path: () => string;
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
};

export type LoadResult = { requests: number; rps: number; p50: number; p99: number };

/** A bound on each run besides its duration (more than a bare node:http server answers here in 5 s). */
const MAX_REQUESTS = 150_000;

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const instance = autocannon({
    url: spec.origin,
    connections: spec.connections,
    duration: spec.seconds,
    maxOverallRequests: MAX_REQUESTS,
    timeout: 10,
    headers: spec.headers,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: spec.path() }) }],
    // Without a callback autocannon returns its instance, which is also a promise of the result.
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else failures++;
  });
  const result = await instance;
  if (failures || result.errors || result.timeouts) {
    throw new Error(
      `load on ${spec.origin}: ${failures} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    requests: latencies.length,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
