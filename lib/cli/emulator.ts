/** npm run emulator: serves the sandbox providers on EMULATOR_PORT (default 4010), loopback only. */
import { env } from "@/lib/platform/env";
import { startEmulator } from "@/lib/sandbox/emulator";

const emulator = await startEmulator({
  apiKey: env.SANDBOX_API_KEY,
  publishableKey: env.SANDBOX_PUBLISHABLE_KEY,
  port: env.EMULATOR_PORT,
  faults: env.SANDBOX_FAULTS === true,
});
console.log(
  `Sandbox providers on ${emulator.origin} (keys: SANDBOX_API_KEY, SANDBOX_PUBLISHABLE_KEY${env.SANDBOX_FAULTS ? "; faults enabled" : ""})`,
);
console.log(`  CONDUCTOR_BASE_URL=${emulator.urls.conductor}`);
console.log(`  ALTUR_BASE_URL=${emulator.urls.altur}`);
console.log(`  DIFY_BASE_URL=${emulator.urls.dify}`);
console.log(`  CONDUCTOR_PUBLISHABLE_KEY=${env.SANDBOX_PUBLISHABLE_KEY}`);
console.log(`Auth-flow pages (from auth sessions' authFlowUrl): ${emulator.origin}/conductor/connect/qbd/…`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
