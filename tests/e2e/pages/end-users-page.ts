import type { Page } from "playwright-core";
import { h } from "../../support/harness";

export class EndUsersPage {
  constructor(private readonly page: Page) {}

  readonly rows = () => this.page.locator("main table tbody tr");
  readonly search = () => this.page.getByRole("searchbox", { name: "Search" });
  readonly nextPage = () => this.page.getByRole("link", { name: "Next page →" });
  readonly refresh = () => this.page.getByRole("button", { name: "Refresh from Conductor" });
  readonly showOffboarded = () => this.page.getByRole("link", { name: "Show offboarded" });
  readonly markOffboarded = () => this.page.getByRole("button", { name: "Mark offboarded" });
  readonly empty = () => this.page.getByText(/No cached end-user matches/);

  async open(query = "") {
    await this.page.goto(`${h.stack.appOrigin}/end-users${query}`);
  }

  async searchFor(text: string) {
    await this.search().fill(text);
    await this.page.getByRole("button", { name: "Search", exact: true }).click();
    await this.page.waitForURL(/[?&]q=/);
  }

  async openEndUser(company: string) {
    await this.page.getByRole("link", { name: company, exact: true }).click();
  }
}
