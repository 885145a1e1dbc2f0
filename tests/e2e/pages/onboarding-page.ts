import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class OnboardingPage {
  constructor(private readonly page: Page) {}

  readonly companyName = () => this.page.getByLabel("Company name");
  readonly submit = () =>
    this.page.locator("main").getByRole("button", { name: /Connect my company|Try again|Check again/ });
  readonly setUp = () => this.page.getByText("Your company is set up with Conductor.");
  readonly fieldError = () => this.page.locator("#companyName-error");
  readonly connections = () => this.page.getByRole("table");
  readonly connectionStatus = () => this.page.getByTestId("connection-status");
  readonly connectionMessage = () => this.page.getByTestId("connection-message");
  readonly openSetup = () => this.page.getByRole("button", { name: /^(Open the setup|Reconnect)$/ });
  readonly emailLink = () => this.page.getByRole("button", { name: "Email me this link" });
  readonly check = () => this.page.getByRole("button", { name: /^Check (now|again)$/ });
  readonly offboardedBefore = () => this.page.getByTestId("offboarded-before");

  async open() {
    await this.page.goto(`${h.stack.appOrigin}/onboarding`);
  }

  /** Presses Open the setup (or Reconnect): the tab it opens. */
  async openSetupTab(): Promise<Page> {
    const [tab] = await Promise.all([this.page.context().waitForEvent("page"), this.openSetup().click()]);
    return tab;
  }

  async conductorId(): Promise<string> {
    return ((await this.page.locator("dl.facts dd.mono").first().textContent()) ?? "").trim();
  }
}
