/**
 * The session-signing secret: AUTH_SECRET, or (outside production) one generated on first start
 * and kept in the data directory so sessions survive restarts.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";

/** Read once per process: the setup return's proof asks for it on every page and session that names an end-user. */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  return singleton("platform.authSecret", keptSecret);
}

function keptSecret(): string {
  const file = path.join(env.DATA_DIR, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(file, "utf8").trim();
}
