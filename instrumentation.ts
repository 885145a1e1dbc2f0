/**
 * Runs once when a server starts, before it takes requests: the environment is validated (a bad
 * one stops the server with a message naming each variable) and, with the embedded database,
 * Postgres is started and migrated so the first request does not wait for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { modes, sandboxedParts } = await import("./lib/env");
  if (modes.database === "embedded") {
    const { warmUpDatabase } = await import("./lib/db/warm-up");
    await warmUpDatabase();
  }
  const sandboxed = sandboxedParts(modes);
  console.log(JSON.stringify({ level: "info", event: "server.ready", sandboxed, conductor: modes.conductor }));
}
