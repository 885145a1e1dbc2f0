// Stands in for `server-only` under vitest, which runs library code outside React's server graph.
export {};
