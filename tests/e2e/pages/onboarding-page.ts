import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class OnboardingPage {
  constructor(private readonly page: Page) {}

  readonly companyName = () => this.page.getByLabel("Company name");
  readonly submit = () =>
    this.page.locator("main").getByRole("button", { name: /Connect my company|Try again|Check again/ });
  readonly connected = () => this.page.getByText("Your company is connected to Conductor.");
  readonly fieldError = () => this.page.locator("#companyName-error");
  readonly connections = () => this.page.getByRole("table");
  readonly offboardedBefore = () => this.page.getByTestId("offboarded-before");

  async open() {
    await this.page.goto(`${h.stack.appOrigin}/onboarding`);
  }

  async conductorId(): Promise<string> {
    return (await this.page.locator("dl.facts dd.mono").first().innerText()).trim();
  }
}
