import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./admin-session";
import { insertUser, uniqueName } from "./inspect";

const MARKUP = "<img src=x onerror=alert(1)>";
// The Next.js CVE-2025-29927 header, which made middleware skip itself: it must change nothing.
const FORGED = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };

/** A row of the admin's list, which shows addresses: found by the user's email. */
function userRow(page: Page, email: string) {
  return page.getByTestId("user-row").filter({ hasText: email });
}

/** A row of the public directory, which masks addresses: found by the user's name. */
function directoryRow(page: Page, name: string) {
  return page.getByTestId("user-row").filter({ hasText: name });
}

test("the users and API keys pages and procedures refuse a request without a session, forged header or not", async ({ page }) => {
  const lastName = uniqueName("Guarded");
  const id = await insertUser("Ada", lastName, `${lastName.toLowerCase()}@example.com`);
  await page.setExtraHTTPHeaders(FORGED);

  for (const path of ["/admin/users", "/admin/api-keys"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\/login$/);
  }
  // Without a cookie, and with one that was not signed by this server.
  for (const cookie of [undefined, "userstream_admin=eyJlbWFpbCI6ImFkbWluQHVzZXJzdHJlYW0udGVzdCJ9.forged"]) {
    const headers = { ...FORGED, ...(cookie ? { cookie } : {}) };
    const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
    const answers = [
      await page.request.get(`/api/trpc/adminUsers.list?input=${input({})}`, { headers }),
      await page.request.get(`/api/trpc/adminUsers.get?input=${input({ id })}`, { headers }),
      await page.request.post("/api/trpc/adminUsers.update", { headers, data: { json: { id, firstName: "Eve" } } }),
      await page.request.post("/api/trpc/adminUsers.delete", { headers, data: { json: { id } } }),
      await page.request.get("/api/trpc/apiKeys.list", { headers }),
      await page.request.post("/api/trpc/apiKeys.create", { headers, data: { json: { name: "sneaky", scopes: ["delete"] } } }),
      await page.request.post("/api/trpc/apiKeys.revoke", { headers, data: { json: { id: crypto.randomUUID() } } }),
      await page.request.get("/api/v1/users", { headers }),
      await page.request.delete(`/api/v1/users/${id}`, { headers }),
    ];
    for (const answer of answers) expect(answer.status(), `${answer.url()} with ${cookie ?? "no cookie"}`).toBe(401);
  }

  // Nothing changed: the user is still listed, under the same name.
  await page.goto(`/users?q=${lastName}`);
  await expect(directoryRow(page, lastName)).toContainText(`Ada ${lastName}`);
});

test("an admin renames a user and deletes one; /users follows", async ({ page }) => {
  const lastName = uniqueName("Edited");
  const email = `ada.${lastName.toLowerCase()}@example.com`;
  const otherEmail = `grace.${lastName.toLowerCase()}@example.com`;
  await insertUser("Ada", lastName, email);
  await insertUser("Grace", lastName, otherEmail);

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await page.getByLabel("Search by name or email").fill(lastName);
  await expect(page.getByTestId("users-total")).toHaveText("2 users");
  await page.getByLabel("Order").selectOption({ label: "Email A–Z" });
  await expect(page.getByTestId("user-row").first()).toContainText(email);
  await expect(page).toHaveURL(new RegExp(`q=${lastName}&sort=email_asc`));

  // Rename; a name the registration would refuse is refused here too, and nothing is saved.
  await userRow(page, email).getByRole("button", { name: /^Edit/ }).click();
  const edit = page.getByRole("dialog", { name: "Edit user" });
  await edit.getByLabel("First name").fill("Ada<b>");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("First name may contain only letters, spaces, apostrophes, hyphens and periods")).toBeVisible();
  await edit.getByLabel("First name").fill("Augusta Ada");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText(`Saved Augusta Ada ${lastName}.`)).toBeVisible();
  await expect(userRow(page, email)).toContainText(`Augusta Ada ${lastName}`);

  await page.goto(`/users?q=${lastName}`);
  await expect(directoryRow(page, `Augusta Ada ${lastName}`)).toBeVisible();

  // Delete, after confirming; cancelling first changes nothing.
  await page.goto(`/admin/users?q=${lastName}`);
  await userRow(page, email)
    .getByRole("button", { name: /^Delete/ })
    .click();
  const confirm = page.getByRole("dialog", { name: "Delete this user?" });
  await expect(confirm).toContainText(`Augusta Ada ${lastName}`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId("users-total")).toHaveText("2 users");

  await userRow(page, email)
    .getByRole("button", { name: /^Delete/ })
    .click();
  await confirm.getByRole("button", { name: "Delete user" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(`Deleted Augusta Ada ${lastName}.`)).toBeVisible();
  await expect(page.getByTestId("users-total")).toHaveText("1 user");
  await expect(userRow(page, email)).toHaveCount(0);

  await page.goto(`/users?q=${lastName}`);
  await expect(page.getByTestId("users-total")).toHaveText("1 user");
  await expect(directoryRow(page, `Grace ${lastName}`)).toBeVisible();
  await expect(directoryRow(page, `Augusta Ada ${lastName}`)).toHaveCount(0);
});

test("an admin creates a read-only API key that expires, sees it used, sees it refused a deletion, and revokes it", async ({
  page,
}) => {
  const name = uniqueName("Billing");
  const lastName = uniqueName("Keyed");
  const userId = await insertUser("Ada", lastName, `${lastName.toLowerCase()}@example.com`);
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name (which service uses it)").fill(name);
  // Read only is ticked to begin with; without any scope the key is not made.
  await expect(page.getByLabel("read: list users and get one")).toBeChecked();
  await expect(page.getByLabel("delete: delete users")).not.toBeChecked();
  await page.getByLabel("read: list users and get one").uncheck();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Choose at least one scope")).toBeVisible();
  await page.getByLabel("read: list users and get one").check();
  await page.getByLabel("Expires after (days)").fill("0");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Expiry must be at least 1 day")).toBeVisible();
  await page.getByLabel("Expires after (days)").fill("30");
  await page.getByRole("button", { name: "Create key" }).click();

  const created = page.getByTestId("new-api-key");
  await expect(created).toContainText(`Key “${name}” created`);
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await expect(created).toContainText(`Scopes: read. Expires ${expires}`);
  const secret = (await created.locator("code").textContent()) ?? "";
  expect(secret).toMatch(/^usk_[A-Za-z0-9_-]{43}$/);

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(`${secret.slice(0, 12)}…`);
  await expect(row.getByRole("cell").nth(2)).toHaveText("read");
  await expect(row.getByRole("cell").nth(5)).toContainText(expires);
  await expect(row.getByRole("cell").nth(6)).toHaveText("Never");
  // The secret is on the page once, right after creating; a reload no longer shows it.
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);

  const authorization = { authorization: `Bearer ${secret}` };
  const listed = await page.request.get(`/api/v1/users?search=${lastName}`, { headers: authorization });
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toMatchObject({ items: [{ id: userId, lastName }], total: 1 });
  // Reading is all it may do: the user is not deleted.
  const deletion = await page.request.delete(`/api/v1/users/${userId}`, { headers: authorization });
  expect(deletion.status()).toBe(403);
  expect(await deletion.json()).toEqual({
    message: 'This API key does not have the "delete" scope. An admin can create a key that has it at /admin/api-keys.',
    code: "FORBIDDEN",
  });
  expect((await page.request.get(`/api/v1/users/${userId}`, { headers: authorization })).status()).toBe(200);
  await page.reload();
  await expect(row.getByRole("cell").nth(6)).not.toHaveText("Never");

  await row.getByRole("button", { name: /^Revoke/ }).click();
  await page.getByRole("dialog", { name: "Revoke this key?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await page.request.get("/api/v1/users", { headers: authorization });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ message: "The API key has been revoked.", code: "UNAUTHORIZED" });
});

test("a stored name holding markup shows as text on every page, and no script runs", async ({ page }) => {
  const lastName = uniqueName("Markup");
  const email = `${lastName.toLowerCase()}@example.com`;
  await insertUser(MARKUP, lastName, email);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await page.goto(`/users?q=${lastName}`);
  await expect(directoryRow(page, lastName)).toContainText(`${MARKUP} ${lastName}`);

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto(`/admin/users?q=${lastName}`);
  await expect(userRow(page, email)).toContainText(`${MARKUP} ${lastName}`);
  await userRow(page, email).getByRole("button", { name: /^Edit/ }).click();
  await expect(page.getByRole("dialog", { name: "Edit user" }).getByLabel("First name")).toHaveValue(MARKUP);
  await page.getByRole("dialog", { name: "Edit user" }).getByRole("button", { name: "Cancel" }).click();
  await userRow(page, email)
    .getByRole("button", { name: /^Delete/ })
    .click();
  await expect(page.getByRole("dialog", { name: "Delete this user?" })).toContainText(`${MARKUP} ${lastName}`);
  await page.getByRole("dialog", { name: "Delete this user?" }).getByRole("button", { name: "Cancel" }).click();

  await page.goto("/admin/api-keys");
  await page.getByLabel("Name (which service uses it)").fill(MARKUP);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toContainText(`Key “${MARKUP}” created`);
  await page.reload();
  await expect(page.getByTestId("api-key-row").filter({ hasText: MARKUP })).toHaveCount(1);

  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
