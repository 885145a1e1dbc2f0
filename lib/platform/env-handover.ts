/**
 * The environment the instrumentation hook validated at start, handed to every bundle of the
 * server process (Next.js loads our modules once per bundle, so a module-level value would not be).
 * It holds whatever env-schema.ts made of the environment; env.ts names its type.
 */
import { existingSingleton, forgetSingleton, singleton } from "./singleton";

const KEY = "platform.env.validated-at-start";

export function handOverEnv<Env>(env: Env): Env {
  forgetSingleton(KEY);
  return singleton(KEY, () => env);
}

export const handedOverEnv = <Env>(): Env | undefined => existingSingleton<Env>(KEY);
