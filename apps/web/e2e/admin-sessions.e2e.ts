import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./admin-session";
import { insertUser, storedWithLastName, uniqueName } from "./inspect";

const COOKIE = "__Host-userstream_admin";
const EVIL = "https://evil.example";

/** The admin's session cookie as this page's browser holds it, as a `Cookie` header. */
async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === COOKIE);
  if (!cookie) throw new Error(`no ${COOKIE} cookie in the browser`);
  return `${cookie.name}=${cookie.value}`;
}

/** A browser of its own (another computer, as far as the web can tell), signed in as the admin. */
async function signedInBrowser(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

/** What the web answers a procedure only a signed-in admin may call, with this `Cookie` header. */
const overviewStatus = async (page: Page, cookie: string) =>
  (await page.context().request.get("/api/trpc/admin.overview", { headers: { cookie } })).status();

test("the session cookie is __Host- prefixed, Secure and httpOnly, and a copy of it is refused after sign-out", async ({
  page,
  browser,
}) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  const stored = (await page.context().cookies()).find((cookie) => cookie.name === COOKIE);
  expect(stored).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
  const cookie = await sessionCookie(page);
  expect(await overviewStatus(page, cookie)).toBe(200);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain(COOKIE);

  // The copy still in someone's hands opens neither the procedures nor the pages.
  expect(await overviewStatus(page, cookie)).toBe(401);
  const copy = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const [name = "", value = ""] = cookie.split("=");
    await copy.addCookies([{ name, value, domain: "127.0.0.1", path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
    const stolen = await copy.newPage();
    await stolen.goto("/admin");
    await expect(stolen).toHaveURL(/\/admin\/login$/);
  } finally {
    await copy.close();
  }
});

test("signing out everywhere ends the session in the admin's other browser too", async ({ browser }) => {
  const [here, elsewhere] = [await signedInBrowser(browser), await signedInBrowser(browser)];
  try {
    await here.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(here).toHaveURL(/\/admin\/login$/);
    await elsewhere.goto("/admin/users");
    await expect(elsewhere).toHaveURL(/\/admin\/login$/);
    // Signing in again works.
    await signIn(elsewhere);
    await expect(elsewhere).toHaveURL(/\/admin$/);
  } finally {
    await Promise.all([here.context().close(), elsewhere.context().close()]);
  }
});

test("a post from another site is refused with 403 and changes nothing: server actions and tRPC mutations", async ({ page }) => {
  const lastName = uniqueName("CrossSite");
  const id = await insertUser("Ada", lastName, `${lastName.toLowerCase()}@example.com`);
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  const cookie = await sessionCookie(page);

  // The "Sign out everywhere" form's action, as a page on another site could copy it from the markup.
  const html = await (await page.request.get("/admin", { headers: { cookie } })).text();
  const actionFields = [...html.matchAll(/name="(\$ACTION_ID_[0-9a-f]+)"/g)].map((match) => match[1] ?? "");
  expect(actionFields.length).toBeGreaterThan(0);
  const crossSiteHeaders: Array<Record<string, string>> = [{ origin: EVIL }, { "sec-fetch-site": "cross-site", origin: EVIL }];
  for (const crossSite of crossSiteHeaders) {
    for (const field of actionFields) {
      const answer = await page.request.post("/admin", { headers: { cookie, ...crossSite }, multipart: { [field]: "" } });
      expect(answer.status(), `${field} ${JSON.stringify(crossSite)}`).toBe(403);
    }
    const signInFromElsewhere = await page.request.post("/admin/login", {
      headers: crossSite,
      multipart: { email: "a@b.c", password: "x" },
    });
    expect(signInFromElsewhere.status()).toBe(403);
    const deletion = await page.request.post("/api/trpc/adminUsers.delete", {
      headers: { cookie, ...crossSite },
      data: { json: { id } },
    });
    expect(deletion.status()).toBe(403);
  }

  // Still signed in, and the user is still there.
  expect(await overviewStatus(page, cookie)).toBe(200);
  await page.goto("/admin");
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
  expect((await storedWithLastName(lastName)).emails).toEqual([`${lastName.toLowerCase()}@example.com`]);
});
