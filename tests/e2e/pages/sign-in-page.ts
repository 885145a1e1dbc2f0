import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class SignInPage {
  constructor(private readonly page: Page) {}

  readonly email = () => this.page.getByLabel("Work email");
  readonly fieldError = () => this.page.locator("#email-error");
  readonly submit = () => this.page.getByRole("button", { name: "Email me a sign-in link" });

  async open(callbackPath?: string) {
    await this.page.goto(
      `${h.stack.appOrigin}/signin${callbackPath ? `?callbackUrl=${encodeURIComponent(callbackPath)}` : ""}`,
    );
  }

  /** Asks for a link in the form, then opens the one that arrived over SMTP and presses its Sign in button. */
  async signInAs(email: string) {
    const before = (await h.mail.to(email)).length;
    await this.email().fill(email);
    await this.submit().click();
    await this.page.getByRole("heading", { name: "Check your email" }).waitFor();
    await this.page.goto(await h.mail.signInLink(email, before));
    await this.page.getByText(`Sign in as ${email}?`).waitFor();
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await this.page.waitForURL((url) => url.pathname !== "/signin/confirm");
  }
}
