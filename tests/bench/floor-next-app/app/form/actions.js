"use server";

import { revalidatePath } from "next/cache";

/** Next.js's floor for a form action that changed its page: it only says so, and the page is rendered again. */
export async function submit(previous, sent) {
  revalidatePath("/form");
  const companyName = sent instanceof FormData ? sent.get("companyName") : sent.companyName;
  return { status: "success", message: `${companyName} is set up.` };
}
