// A person's walk through the screen, against the real server in development mode on
// a fresh SQLite database (scripts/e2e starts both and passes the ADMIN token).
import { resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";

const token = process.env.CLIENTELE_TOKEN ?? "";
const server = process.env.CLIENTELE_URL ?? "http://127.0.0.1:8000";

async function count(page: Page, status: string): Promise<number> {
  return Number(await page.getByTestId(`count-${status}`).innerText());
}

async function openTab(page: Page, label: string) {
  const tab = page.getByRole("tab", { name: new RegExp(`^${label}`) });
  await tab.click();
  await expect(tab).toHaveAttribute("aria-selected", "true");
  // The list of this tab, as many clients as its count says.
  const status = (await tab.getByTestId(/^count-/).getAttribute("data-testid"))!.slice("count-".length);
  await expect
    .poll(async () => (await page.getByTestId("list-total").innerText()) === `${await count(page, status)} clients`)
    .toBe(true);
}

async function openClient(page: Page, name: string) {
  await page.getByRole("region", { name: "Client list" }).getByRole("button", { name: new RegExp(name) }).click();
  await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
}

/** Runs a menu action through its confirmation dialog. */
async function act(page: Page, action: string) {
  await page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: action, exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("effects")).toBeVisible();
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await expect(dialog).toBeHidden();
}

async function signIn(page: Page) {
  expect(token, "CLIENTELE_TOKEN").not.toBe("");
  await page.goto("/");
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("(ADMIN)")).toBeVisible();
}

test("reactivate, archive and unarchive, refused discard, delete by name", async ({ page }) => {
  await signIn(page);
  // Inactive tab: reactivate its first client.
  await expect.poll(() => count(page, "INACTIVE")).toBeGreaterThan(0);
  const inactive = await count(page, "INACTIVE");
  const active = await count(page, "ACTIVE");
  await openTab(page, "Inactive");
  const list = page.getByRole("region", { name: "Client list" });
  await expect(list.getByTestId("list-total")).toHaveText(`${inactive} clients`);
  const first = list.getByRole("listitem").first().getByRole("button");
  const name = (await first.innerText()).split("\n")[0];
  await openClient(page, name);
  await page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: "Reactivate", exact: true }).click();
  await expect(page.getByRole("dialog").getByTestId("effects")).toContainText("becomes active");
  await page.getByRole("dialog").getByRole("button", { name: "Reactivate", exact: true }).click();
  await expect(page.getByTestId("card-status")).toHaveText("Active");
  await expect.poll(() => count(page, "INACTIVE")).toBe(inactive - 1);
  await expect.poll(() => count(page, "ACTIVE")).toBe(active + 1);
  await expect(list.getByRole("button", { name: new RegExp(name) })).toHaveCount(0);

  // Archive it, then unarchive it: back to Active, the counts follow.
  await openTab(page, "Active");
  await openClient(page, name);
  const archived = await count(page, "ARCHIVED");
  await act(page, "Archive");
  await expect(page.getByTestId("card-status")).toHaveText("Archived");
  await expect.poll(() => count(page, "ARCHIVED")).toBe(archived + 1);
  await expect.poll(() => count(page, "ACTIVE")).toBe(active);
  await openTab(page, "Archived");
  await expect(list.getByRole("button", { name: new RegExp(name) })).toHaveCount(1);
  await act(page, "Unarchive");
  await expect(page.getByTestId("card-status")).toHaveText("Active");
  await expect.poll(() => count(page, "ARCHIVED")).toBe(archived);
  await expect(list.getByRole("button", { name: new RegExp(name) })).toHaveCount(0);

  // A client with work in progress cannot be discarded: the entry is greyed out and
  // says why.
  await openTab(page, "Active");
  const busy = await findClientWithActiveWork(page);
  const discard = page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: "Discard", exact: true });
  await expect(discard).toBeDisabled();
  await expect(discard).toHaveAttribute("title", /active workflow/);
  expect(busy).not.toBe("");

  // Delete an archived client: the wrong name is refused, the right one deletes it.
  await openTab(page, "Archived");
  const victim = (await list.getByRole("listitem").first().getByRole("button").innerText()).split("\n")[0];
  await openClient(page, victim);
  const before = await count(page, "ARCHIVED");
  await page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("effects")).toContainText("deleted for good");
  await dialog.getByLabel("Client name").fill(victim.toUpperCase() + " X");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("does not match");
  await expect.poll(() => count(page, "ARCHIVED")).toBe(before);
  await dialog.getByLabel("Client name").fill(victim);
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => count(page, "ARCHIVED")).toBe(before - 1);
  await expect(list.getByRole("button", { name: new RegExp(victim) })).toHaveCount(0);
  await expect(page.getByText("Choose a client.")).toBeVisible();
});

/** Opens the first client of the current tab that has an ACTIVE workflow. */
async function findClientWithActiveWork(page: Page): Promise<string> {
  const list = page.getByRole("region", { name: "Client list" });
  const n = await list.getByRole("listitem").count();
  for (let i = 0; i < n; i++) {
    const button = list.getByRole("listitem").nth(i).getByRole("button");
    const name = (await button.innerText()).split("\n")[0];
    await openClient(page, name);
    const work = page.getByRole("article").locator("h3:text('Work') + ul");
    if ((await work.innerText()).includes("active")) return name;
  }
  return "";
}

test("an address already in use is explained and links to its holder", async ({ page }) => {
  await signIn(page);
  await openTab(page, "Active");
  const list = page.getByRole("region", { name: "Client list" });
  const items = list.getByRole("listitem");
  // Two clients with addresses: give the second the first one's.
  const [holder, holderEmail] = (await items.nth(0).getByRole("button").innerText()).split("\n");
  expect(holderEmail).toContain("@");
  const other = (await items.nth(1).getByRole("button").innerText()).split("\n")[0];
  await openClient(page, other);
  await page.getByLabel("E-mail").fill(holderEmail);
  await page.getByRole("button", { name: "Save" }).click();
  const alert = page.getByRole("article").getByRole("alert");
  await expect(alert).toContainText("already used by someone else");
  await alert.getByRole("link", { name: new RegExp(`Open ${holder}`) }).click();
  await expect(page.getByRole("heading", { level: 2, name: holder })).toBeVisible();
});

test("GraphiQL runs a query with the development token", async ({ page }) => {
  // The page loads GraphiQL and React from unpkg.com; the test serves the same files
  // from node_modules so that it runs without the internet.
  const local: Record<string, string> = {
    "https://unpkg.com/react@18/umd/react.development.js": "node_modules/react/umd/react.development.js",
    "https://unpkg.com/react-dom@18/umd/react-dom.development.js":
      "node_modules/react-dom/umd/react-dom.development.js",
    "https://unpkg.com/graphiql@4/graphiql.min.css": "node_modules/graphiql/graphiql.min.css",
    "https://unpkg.com/graphiql@4/graphiql.min.js": "node_modules/graphiql/graphiql.min.js",
  };
  await page.route(/^https:\/\//, (route) => {
    const file = local[route.request().url()];
    return file ? route.fulfill({ path: resolve(file) }) : route.abort();
  });
  // What a person types into the editors, as GraphiQL keeps it.
  await page.addInitScript(
    ([query, headers]) => {
      localStorage.setItem("graphiql:query", query);
      localStorage.setItem("graphiql:headers", headers);
    },
    ["{ me { name role } }", JSON.stringify({ Authorization: `Bearer ${token}` })],
  );
  await page.goto(`${server}/graphiql`);
  await page.getByRole("button", { name: /Execute query/ }).click();
  await expect(page.locator(".result-window")).toContainText('"role": "ADMIN"');
  await expect(page.locator(".result-window")).toContainText('"name": "Ada Admin"');
});
