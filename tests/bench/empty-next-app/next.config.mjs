/** Built into the repo root's `.next-bench-empty` (ignored by the root ESLint and tsc) rather than `./.next`. */
const nextConfig = { distDir: "../../../.next-bench-empty" };

export default nextConfig;
