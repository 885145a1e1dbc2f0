/**
 * How a vendor client reaches its API. The composition module (lib/wiring) hands every client its
 * transport: the real API, or the sandbox answering in-process through `fetch`.
 */
export type Transport = {
  baseUrl: string;
  apiKey: string;
  /** Replaces the global fetch (the in-app sandbox); absent for the real network. */
  fetch?: (url: string | URL, init?: RequestInit) => Promise<Response>;
};
