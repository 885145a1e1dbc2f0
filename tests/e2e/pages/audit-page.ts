import type { Page } from "playwright-core";
import { inject } from "vitest";

export class AuditPage {
  constructor(private readonly page: Page) {}

  readonly rows = () => this.page.locator("main table tbody tr");
  readonly empty = () => this.page.getByTestId("audit-empty");
  readonly download = () => this.page.getByRole("link", { name: "Download these events as CSV" });
  readonly action = () => this.page.getByLabel("Action");
  readonly filter = () => this.page.getByRole("button", { name: "Filter" });

  async open(query = "") {
    return this.page.goto(`${inject("stack").appOrigin}/audit${query}`);
  }
}
