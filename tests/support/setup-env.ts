/**
 * Before each integration or browser test file: the app's configuration becomes this process's
 * environment, so library code called directly (not over HTTP) uses the same database and
 * sandbox providers as the running app.
 */
import { inject } from "vitest";

const { appEnv } = inject("stack");
for (const [name, value] of Object.entries(appEnv)) process.env[name] = value;
