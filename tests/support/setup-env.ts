/**
 * Before each integration or browser test file, and again before each of its tests: the app's
 * configuration becomes this process's environment, so library code called directly (not over
 * HTTP) uses the same database and sandbox providers as the running app. A test that changes a
 * variable with vi.stubEnv undoes it with vi.unstubAllEnvs; the next test gets the app's again.
 * After the file, the environment is what it was before.
 */
import { afterAll, beforeEach, vi } from "vitest";
import { stack } from "./provided";

const stubAppEnv = () => {
  for (const [name, value] of Object.entries(stack.appEnv)) vi.stubEnv(name, value);
};

stubAppEnv();
beforeEach(stubAppEnv);
afterAll(() => {
  vi.unstubAllEnvs();
});
