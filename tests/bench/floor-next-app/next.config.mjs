/** Built into the repo root's `.next-bench-floor` (ignored by the root ESLint and tsc) rather than `./.next`. */
const nextConfig = { distDir: "../../../.next-bench-floor" };

export default nextConfig;
