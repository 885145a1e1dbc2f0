"use server";

import { revalidatePath } from "next/cache";

/** Next.js's floor for a form action that changed its page: it only says so, and the page is rendered again. */
export async function submit(previous, form) {
  revalidatePath("/form");
  return { status: "success", message: `${form.get("companyName")} is set up.` };
}
