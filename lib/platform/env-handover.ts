/**
 * The environment the instrumentation hook validated at start, handed to every bundle of the
 * server process (Next.js loads our modules once per bundle, so a module-level value would not be).
 */
import type { Env } from "./env-schema";
import { existingSingleton, forgetSingleton, singleton } from "./singleton";

const KEY = "platform.env.validated-at-start";

export function handOverEnv(env: Env): Env {
  forgetSingleton(KEY);
  return singleton(KEY, () => env);
}

export const handedOverEnv = (): Env | undefined => existingSingleton<Env>(KEY);
