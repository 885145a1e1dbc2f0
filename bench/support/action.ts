/**
 * Calls a server action over HTTP as React's client does (see tests/support/actions.ts): a POST
 * to the page with the `Next-Action` header and the arguments as React's reply FormData.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

export function actionId(distDir: string, filename: string, exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  const entry = Object.entries(manifest.node).find(
    ([, action]) => action.filename === filename && action.exportedName === exportedName,
  );
  if (!entry) throw new Error(`no server action ${exportedName} in ${filename}`);
  return entry[0];
}

/** Headers and multipart body of one action call (`previousState`, then the form as `$K1`), encoded ahead of timing. */
export async function actionRequest(id: string, origin: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify([{ status: "idle" }, "$K1"]));
  const encoded = new Response(form);
  const headers: Record<string, string> = {
    "next-action": id,
    accept: "text/x-component",
    origin,
    "content-type": encoded.headers.get("content-type")!,
  };
  return { method: "POST", headers, body: Buffer.from(await encoded.arrayBuffer()) };
}

/** The form state the action answered with, from its flight rows. */
export function actionState(body: string): { status: string; message?: string } | undefined {
  const row = body.split("\n").find((line) => /^[0-9a-f]+:\{"status":/.test(line));
  return row ? (JSON.parse(row.slice(row.indexOf(":") + 1)) as { status: string; message?: string }) : undefined;
}
