import type { TestProject } from "vitest/node";
import { startStack } from "./stack";

// `project.provide` fills the ProvidedContext declared in provided.ts.
// Both the integration and the browser projects use this setup: the stack is started once.
const shared = globalThis as unknown as { testStack?: ReturnType<typeof startStack>; testStackUsers?: number };

export default async function setup(project: TestProject) {
  shared.testStack ??= startStack();
  shared.testStackUsers = (shared.testStackUsers ?? 0) + 1;
  const { info, stop } = await shared.testStack;
  project.provide("stack", info);
  return async () => {
    shared.testStackUsers = (shared.testStackUsers ?? 1) - 1;
    if (shared.testStackUsers === 0) await stop();
  };
}
