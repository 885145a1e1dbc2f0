/**
 * Page guards: every page calls one of these itself (the proxy never authorizes).
 * Signed out → the sign-in page, coming back here afterwards; wrong role → 403.
 */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import { getViewer, type Viewer } from "./viewer";

export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return viewer;
}

export async function requireOperator(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "operator") forbidden();
  return viewer;
}

export async function requireCustomer(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "customer") forbidden();
  return viewer;
}
