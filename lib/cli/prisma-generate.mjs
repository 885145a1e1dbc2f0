// `prisma generate` needs no schema engine, but the CLI insists on locating one at start-up and
// downloads it when it is missing, which fails offline. Pointing it at any existing file satisfies
// the check; migrations go through the WebAssembly engine instead (lib/db/migrations.ts).
import { spawnSync } from "node:child_process";
import path from "node:path";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
};
const prisma = path.join("node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
const result = spawnSync(prisma, ["generate"], { stdio: "inherit", env, shell: process.platform === "win32" });
process.exit(result.status ?? 1);
