/** The standalone emulator: the three sandbox providers over HTTP, with faults when asked. */
import { memoryStore } from "./conductor/store";
import { withFaults } from "./faults";
import { serve } from "./node-server";
import { createSandboxProviders, MOUNTS, unhandledAnswer } from "./providers";

export async function startEmulator(options: {
  apiKey: string;
  publishableKey: string;
  port: number;
  faults: boolean;
  host?: string;
}) {
  const conductorStore = memoryStore();
  const { route } = createSandboxProviders({
    apiKey: options.apiKey,
    publishableKey: options.publishableKey,
    conductorStore,
  });
  const server = await serve(options.faults ? withFaults(route, conductorStore) : route, {
    host: options.host ?? "127.0.0.1",
    port: options.port,
    unhandled: unhandledAnswer,
  });
  return {
    ...server,
    conductorStore,
    urls: {
      conductor: `${server.origin}${MOUNTS.conductor}`,
      altur: `${server.origin}${MOUNTS.altur}`,
      dify: `${server.origin}${MOUNTS.dify}`,
    },
  };
}
