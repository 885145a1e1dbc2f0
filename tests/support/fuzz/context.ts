/**
 * The people a fuzz run acts as (a customer, a customer with an end-user, a second customer whose
 * end-user is foreign to the first, the operator), the service tokens and cron secret, and the
 * write log installed for the run.
 */
import { onboardedCustomer, signedInCustomer, signedInOperator, type HttpClient } from "../http";
import { emulator } from "../emulator";
import { stack } from "../provided";
import { stackSecrets, writeLog } from "./oracle";
import type { FuzzContext } from "./requests";

const sessionOf = (client: HttpClient) => {
  const token = client.cookies.get("next-auth.session-token");
  if (!token) throw new Error("the client holds no session cookie");
  return token;
};

/** Signs everyone in, onboards two customers and installs the write log (removed by `stop`). */
export async function startFuzzing(label: string): Promise<{ ctx: FuzzContext; stop: () => Promise<void> }> {
  await emulator.disarm();
  const owner = await onboardedCustomer(`fuzz-${label}-owner`, "Fuzz Owner Co");
  const other = await onboardedCustomer(`fuzz-${label}-other`, "Fuzz Other Co");
  const customer = await signedInCustomer(`fuzz-${label}-customer`);
  const operator = await signedInOperator();
  await writeLog.install();
  const ctx: FuzzContext = {
    origin: stack.appOrigin,
    ownEndUserId: owner.endUser.id,
    otherEndUserId: other.endUser.id,
    identities: {
      customer: sessionOf(customer.client),
      owner: sessionOf(owner.client),
      operator: sessionOf(operator),
      serviceTokens: stack.serviceTokens,
      cronSecret: stack.cronSecret,
      secrets: stackSecrets(),
    },
  };
  return { ctx, stop: () => writeLog.uninstall() };
}
