import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class AuditPage {
  constructor(private readonly page: Page) {}

  readonly rows = () => this.page.locator("main table tbody tr");
  readonly empty = () => this.page.getByTestId("audit-empty");
  readonly download = () => this.page.getByRole("link", { name: "Download all matching events as CSV" });
  readonly action = () => this.page.getByLabel("Action");
  readonly since = () => this.page.getByLabel("From", { exact: true });
  readonly filter = () => this.page.getByRole("button", { name: "Filter" });

  async open(query = "") {
    return this.page.goto(`${h.stack.appOrigin}/audit${query}`);
  }
}
