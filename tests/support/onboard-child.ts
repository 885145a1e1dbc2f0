/**
 * Runs one onboarding in a process of its own, so a test can kill it at the worst moment: after
 * Conductor created the end-user, before the answer reaches our database.
 * Usage: node --conditions=react-server --import tsx tests/support/onboard-child.ts '<json input>'
 */
import { createEndUserOnce } from "@/lib/use-cases/onboarding/create-once";

const input = JSON.parse(process.argv[2]!) as { sourceId: string; companyName: string; email: string };
await createEndUserOnce(input, input.sourceId).catch(() => {});
process.exit(0);
