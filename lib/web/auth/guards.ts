/**
 * Page guards: every page calls one of these itself (the proxy never authorizes).
 * Signed out → the sign-in page, coming back here afterwards; wrong role → 403.
 */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { Person } from "@/lib/model/actor";
import { signInHref } from "./sign-in-page";
import { getViewer } from "./viewer";

export async function requireViewer(returnTo: string): Promise<Person> {
  const viewer = await getViewer();
  if (!viewer) redirect(signInHref(returnTo));
  return viewer;
}

export async function requireOperator(returnTo: string): Promise<Person & { kind: "operator" }> {
  const viewer = await requireViewer(returnTo);
  if (viewer.kind !== "operator") forbidden();
  return viewer as Person & { kind: "operator" };
}

export async function requireCustomer(returnTo: string): Promise<Person & { kind: "customer" }> {
  const viewer = await requireViewer(returnTo);
  if (viewer.kind !== "customer") forbidden();
  return viewer as Person & { kind: "customer" };
}
