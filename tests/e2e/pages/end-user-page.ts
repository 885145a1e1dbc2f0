import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class EndUserPage {
  constructor(private readonly page: Page) {}

  readonly heading = () => this.page.getByRole("heading", { level: 1 });
  readonly staleNotice = () => this.page.getByTestId("stale-notice");
  readonly live = () => this.page.getByText("Just retrieved from Conductor.");
  readonly connections = () => this.page.getByRole("table");

  async open(id: string) {
    return this.page.goto(`${h.stack.appOrigin}/end-users/${id}`);
  }
}
