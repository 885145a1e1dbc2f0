/**
 * The direct calls of rows 4 and 8: conductor-node in a process of its own, as in any backend
 * that calls Conductor. The sandbox Conductor is served by the bench's own process, and a call
 * from there never leaves one event loop; the app's calls cross a process boundary each way, so
 * the reference must too. Started by measure/sdk-process.ts with the SDK's options in SDK_OPTIONS;
 * takes one call at a time over IPC and answers how long it took, timed here.
 */
import Conductor from "conductor-node";
import type { SdkCall, SdkAnswer } from "./measure/sdk-process";

const sdk = new Conductor(JSON.parse(process.env.SDK_OPTIONS!) as ConstructorParameters<typeof Conductor>[0]);

const send = (call: SdkCall) =>
  call.kind === "endUsers.create" ? sdk.endUsers.create(call.body) : sdk.authSessions.create(call.body);

process.on("message", (call: SdkCall) => {
  const started = process.hrtime.bigint();
  send(call).then(
    (answer): void => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.send!({ ms, objectType: answer.objectType } satisfies SdkAnswer);
    },
    (error: unknown): void => void process.send!({ error: String(error) } satisfies SdkAnswer),
  );
});
process.send!({ ready: true });
