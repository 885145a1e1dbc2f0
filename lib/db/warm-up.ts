import { db } from "./client";

export async function warmUpDatabase(): Promise<void> {
  await (await db()).$queryRaw`SELECT 1`;
}
