/**
 * The stack the global setup started (stack.ts), as every integration and browser test file
 * sees it: the one place that asks vitest for it.
 */
import { inject } from "vitest";
import type { StackInfo } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export const stack: StackInfo = inject("stack");
