import { expect, test, type APIRequestContext } from "@playwright/test";
import { SEARCH_WORD_TOO_SHORT_MESSAGE } from "@userstream/contracts";
import { TRPC_MAX_BATCH_SIZE } from "../src/lib/trpc-limits";
import { signIn } from "./admin-session";
import { insertUser, uniqueName } from "./inspect";

/** A procedure's answer over tRPC, as text: `count` identical calls in one batch when given. */
async function trpcGet(request: APIRequestContext, procedure: string, input: object, count?: number) {
  const json = encodeURIComponent(
    JSON.stringify(
      count === undefined ? { json: input } : Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { json: input }])),
    ),
  );
  const path =
    count === undefined ? `${procedure}?input=${json}` : `${Array(count).fill(procedure).join(",")}?batch=1&input=${json}`;
  const response = await request.get(`/api/trpc/${path}`);
  return { status: response.status(), body: await response.text() };
}

/** A stored user whose address holds nothing of their name, so a masked address cannot be mistaken for it. */
async function storedUser() {
  const lastName = uniqueName("Private");
  const email = `${uniqueName("x").toLowerCase()}@${uniqueName("mailhost").toLowerCase()}.example`;
  await insertUser("Ada", lastName, email);
  return { lastName, email, masked: `${email[0]}•••@m•••.example` };
}

test("anyone sees names and masked addresses on /users, and no address anywhere in the page or its data", async ({
  page,
  request,
}) => {
  const { lastName, email, masked } = await storedUser();

  await page.goto(`/users?q=${lastName}`);
  const row = page.getByTestId("user-row").filter({ hasText: `Ada ${lastName}` });
  await expect(row).toContainText(masked);
  // Not in what the browser shows, nor in what it was sent (the HTML with the prefetched page), nor in the procedure's answer.
  expect(await page.content()).not.toContain(email);
  expect(await (await request.get(`/users?q=${lastName}`)).text()).not.toContain(email);
  const listed = await trpcGet(request, "users.list", { search: lastName });
  expect(listed.status).toBe(200);
  expect(listed.body).toContain(masked);
  expect(listed.body).not.toContain(email);
  expect(listed.body).not.toContain(email.split("@")[1]);

  // Searching by the address (or its domain) finds nobody: the directory is searched by name only.
  for (const search of [email, email.split("@")[1]!]) {
    await page.getByLabel("Search by name").fill(search);
    await expect(page.getByTestId("users-total")).toHaveText("0 users");
    await expect(page.getByTestId("users-empty")).toContainText("No users match");
  }
});

test("a signed-in admin sees the addresses on the admin's list, and the public directory stays masked", async ({ page }) => {
  const { lastName, email, masked } = await storedUser();
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);

  await page.goto(`/admin/users?q=${email}`);
  await expect(page.getByTestId("user-row").filter({ hasText: email })).toContainText(`Ada ${lastName}`);
  const full = await trpcGet(page.request, "adminUsers.list", { search: email });
  expect(full.status).toBe(200);
  expect(full.body).toContain(email);

  // The same session's public list: one shape for everyone.
  const directory = await trpcGet(page.request, "users.list", { search: lastName });
  expect(directory.body).toContain(masked);
  expect(directory.body).not.toContain(email);
});

test("a search word under 3 characters shows why it is not searched for, on the public and the admin's list", async ({
  page,
}) => {
  const { lastName } = await storedUser();

  // Typed, and straight from the address (rendered on the server).
  await page.goto("/users");
  const search = page.getByLabel("Search by name");
  await search.fill("ad");
  await expect(page.getByText(SEARCH_WORD_TOO_SHORT_MESSAGE)).toBeVisible();
  await expect(search).toHaveAttribute("aria-invalid", "true");
  await expect(search).toHaveAccessibleDescription(SEARCH_WORD_TOO_SHORT_MESSAGE);
  await expect(page.getByTestId("user-row")).toHaveCount(0);
  await search.fill(`ada ${lastName}`);
  await expect(page.getByTestId("users-total")).toHaveText("1 user");
  await expect(page.getByText(SEARCH_WORD_TOO_SHORT_MESSAGE)).toHaveCount(0);

  await page.goto("/users?q=ad");
  await expect(page.getByText(SEARCH_WORD_TOO_SHORT_MESSAGE)).toBeVisible();

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/users?q=a");
  await expect(page.getByText(SEARCH_WORD_TOO_SHORT_MESSAGE)).toBeVisible();
});

test(`a tRPC batch of more than ${TRPC_MAX_BATCH_SIZE} calls is refused with 400`, async ({ request }) => {
  const full = await trpcGet(request, "users.list", {}, TRPC_MAX_BATCH_SIZE);
  expect(full.status).toBe(200);
  const tooMany = await trpcGet(request, "users.list", {}, TRPC_MAX_BATCH_SIZE + 1);
  expect(tooMany.status).toBe(400);
  expect(tooMany.body).toContain("Batch call exceeds maximum size");
});
