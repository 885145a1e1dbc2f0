import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class EndUserPage {
  constructor(private readonly page: Page) {}

  readonly heading = () => this.page.getByRole("heading", { level: 1 });
  readonly staleNotice = () => this.page.getByTestId("stale-notice");
  readonly live = () => this.page.getByText(/Matches Conductor's record, read /);
  readonly connections = () => this.page.getByRole("table");
  readonly offboardConfirmation = () => this.page.getByLabel("Type the company name");
  readonly offboardButton = () => this.page.getByRole("button", { name: "Offboard", exact: true });
  readonly offboardError = () => this.page.locator("#offboard-confirmation-error");
  readonly tombstoneBanner = () => this.page.getByTestId("tombstone-banner");

  async offboard(typedName: string) {
    await this.offboardConfirmation().fill(typedName);
    await this.offboardButton().click();
  }

  async open(id: string) {
    return this.page.goto(`${h.stack.appOrigin}/end-users/${id}`);
  }
}
