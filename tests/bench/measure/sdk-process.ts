/** The SDK client process of tests/bench/sdk-client.ts, seen from the bench: one call at a time, timed there. */
import { fork } from "node:child_process";
import path from "node:path";
import type Conductor from "conductor-node";
import { onCleanup } from "../cleanup";

export type SdkCall =
  | { kind: "endUsers.create"; body: Conductor.EndUserCreateParams }
  | { kind: "authSessions.create"; body: Conductor.AuthSessionCreateParams };
export type SdkAnswer = { ms: number; objectType: string } | { error: string };

export async function startSdkProcess(options: {
  apiKey: string;
  baseURL: string;
  maxRetries: number;
  timeout: number;
}): Promise<{ time: (call: SdkCall, objectType: string) => Promise<number> }> {
  const child = fork(path.join("tests", "bench", "sdk-client.ts"), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, SDK_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  onCleanup("stop the SDK client process", () => void child.kill());
  let answer: ((message: unknown) => void) | undefined;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`the SDK client process exited with ${code}`))),
  );
  exited.catch(() => {});
  child.on("message", (message) => answer?.(message));
  const next = () => Promise.race([new Promise<unknown>((resolve) => (answer = resolve)), exited]);
  await next();
  return {
    /** How long `call` took in the child; it fails unless the answer is an object of `objectType`. */
    time: async (call, objectType) => {
      const answered = next() as Promise<SdkAnswer>;
      child.send(call);
      const answer = await answered;
      if ("error" in answer || answer.objectType !== objectType)
        throw new Error(`a direct ${call.kind} failed: ${JSON.stringify(answer)}`);
      return answer.ms;
    },
  };
}
