import type { Page } from "playwright-core";
import { inject } from "vitest";
import { mailsTo, waitForSignInLink } from "../../support/smtp-sink";

export class SignInPage {
  constructor(private readonly page: Page) {}

  readonly email = () => this.page.getByLabel("Work email");
  readonly submit = () => this.page.getByRole("button", { name: "Email me a sign-in link" });

  async open(callbackPath?: string) {
    await this.page.goto(
      `${inject("stack").appOrigin}/signin${callbackPath ? `?callbackUrl=${encodeURIComponent(callbackPath)}` : ""}`,
    );
  }

  /** Asks for a link in the form, then follows the one that arrived over SMTP. */
  async signInAs(email: string) {
    const { sinkApiUrl } = inject("stack");
    const before = (await mailsTo(sinkApiUrl, email)).length;
    await this.email().fill(email);
    await this.submit().click();
    await this.page.getByRole("heading", { name: "Check your email" }).waitFor();
    await this.page.goto(await waitForSignInLink(sinkApiUrl, email, before));
  }
}
