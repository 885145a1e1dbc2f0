import Link from "next/link";
import { getViewer } from "@/lib/web/auth/viewer";

/** Where each role's own pages are: a refused person is pointed at the one they may open. */
async function whereToGo() {
  const viewer = await getViewer().catch(() => null);
  if (viewer?.kind === "operator")
    return {
      why: `You are signed in as ${viewer.email}, an operator: this page is for customers. Every customer's end-user, any of yours included, is in the end-user list.`,
      href: "/end-users",
      label: "Open the end-user list",
    };
  if (viewer?.kind === "customer")
    return {
      why: `You are signed in as ${viewer.email}, a customer: this page is for operators. Your company's setup is on your onboarding page.`,
      href: "/onboarding",
      label: "Open your onboarding page",
    };
  return { why: "Your account cannot open this page.", href: "/", label: "Go to the start page" };
}

export default async function Forbidden() {
  const { why, href, label } = await whereToGo();
  return (
    <div className="card narrow">
      {/* The document's title (React hoists it): the refusing page's own metadata would name a page not shown. */}
      <title>Not allowed — Conductor Onboarding</title>
      <h1>Not allowed</h1>
      <p>{why}</p>
      <Link href={href}>{label}</Link>
    </div>
  );
}
