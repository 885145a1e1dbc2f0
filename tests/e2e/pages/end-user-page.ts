import type { Page } from "playwright-core";
import { inject } from "vitest";

export class EndUserPage {
  constructor(private readonly page: Page) {}

  readonly heading = () => this.page.getByRole("heading", { level: 1 });
  readonly staleNotice = () => this.page.getByTestId("stale-notice");
  readonly live = () => this.page.getByText("Just retrieved from Conductor.");
  readonly connections = () => this.page.getByRole("table");

  async open(id: string) {
    return this.page.goto(`${inject("stack").appOrigin}/end-users/${id}`);
  }
}
