import { expect, test, type Page } from "@playwright/test";
import { createUserToken } from "@userstream/contracts/user-token";
import { confirmationHref, emailsTo, required, setWelcomeEmailStatus, uniqueName, type CaughtEmail } from "./inspect";
import { registerByApi, registerByForm } from "./register";

/** Waits until exactly one email to `address` has arrived, and returns it. */
async function theOnlyEmailTo(address: string): Promise<CaughtEmail> {
  await expect.poll(async () => (await emailsTo(address)).length, { timeout: 20_000 }).toBeGreaterThan(0);
  const emails = await emailsTo(address);
  expect(emails).toHaveLength(1);
  return emails[0]!;
}

async function verifiedMarkOnUsersPage(page: Page, lastName: string) {
  await page.goto(`/users?q=${lastName}`);
  await expect(page.getByTestId("users-total")).toHaveText("1 user");
  return page.getByRole("row").filter({ hasText: lastName }).getByRole("cell").nth(2);
}

test("a person registers, gets one welcome email, confirms with its link and shows as verified", async ({
  page,
  context,
  baseURL,
}) => {
  const lastName = uniqueName("Lovelace");
  const email = `${lastName.toLowerCase()}@example.com`;

  await registerByForm(page, { firstName: "Ada", lastName, email });

  const status = page.getByTestId("registration-status");
  await expect(status).toHaveText("email sent", { timeout: 30_000 });
  await expect(page.getByRole("list", { name: "Progress steps" }).locator('[aria-current="step"]')).toHaveText("email sent");

  const welcome = await theOnlyEmailTo(email);
  // The name is in the greeting only: a stranger cannot write our subject lines.
  expect(welcome.subject).toBe("Welcome to UserStream");
  expect(welcome.html).toContain(`Ada ${lastName}`);
  expect(welcome.text).toContain(`Ada ${lastName}`);
  const href = confirmationHref(welcome);
  expect(href.startsWith(`${baseURL}/confirm?token=`), href).toBe(true);
  expect(welcome.text).toContain(href);

  // Opened in another tab, as from a mail client; the registration page keeps polling meanwhile.
  const mailTab = await context.newPage();
  const response = await mailTab.goto(href);
  await expect(mailTab.getByRole("heading", { name: "Email confirmed" })).toBeVisible();
  expect(response?.headers()["cache-control"]).toContain("no-store");
  expect(response?.headers()["x-robots-tag"]).toContain("noindex");
  await expect(mailTab.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);

  await expect(status).toHaveText("email confirmed", { timeout: 15_000 });

  await mailTab.getByRole("link", { name: "See all users" }).click();
  await mailTab.getByLabel("Search by name").fill(lastName);
  await expect(mailTab.getByTestId("users-total")).toHaveText("1 user");
  await expect(mailTab.getByRole("row").filter({ hasText: lastName }).getByRole("cell").nth(2)).toHaveText("✓ Verified");

  await mailTab.goto(href);
  await expect(mailTab.getByRole("heading", { name: "Already confirmed" })).toBeVisible();
  expect(await emailsTo(email)).toHaveLength(1);
});

test("a tampered or expired link confirms nothing; the real one still works", async ({ page, request }) => {
  const lastName = uniqueName("Hopper");
  const email = `${lastName.toLowerCase()}@example.com`;
  const registrationId = await registerByApi(request, { firstName: "Grace", lastName, email });
  const href = confirmationHref(await theOnlyEmailTo(email));
  const token = new URL(href).searchParams.get("token") ?? "";
  const [userId = "", expiry = "", signature = ""] = token.split(".");

  const tampered = `${userId}.${expiry}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
  const longer = `${userId}.${Number(expiry) + 86_400}.${signature}`;
  for (const candidate of [tampered, longer, token.slice(0, -5), "nonsense"]) {
    await page.goto(`/confirm?token=${encodeURIComponent(candidate)}`);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  }
  await page.goto("/confirm");
  await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();

  // Signed like the sender's, with the run's secret, but already past its expiry.
  const expired = createUserToken("confirm-email", userId, required("E2E_CONFIRMATION_TOKEN_SECRET"), -60_000);
  await page.goto(`/confirm?token=${encodeURIComponent(expired)}`);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();

  await expect(await verifiedMarkOnUsersPage(page, lastName)).toHaveText("Not verified");
  const progress = await request.get(`/api/v1/registrations/${registrationId}`);
  expect(await progress.json()).toEqual({ registrationId, status: "email_sent" });

  await page.goto(href);
  await expect(page.getByRole("heading", { name: "Email confirmed" })).toBeVisible();
  await expect(await verifiedMarkOnUsersPage(page, lastName)).toHaveText("✓ Verified");
  const confirmed = await request.get(`/api/v1/registrations/${registrationId}`);
  expect(await confirmed.json()).toEqual({ registrationId, status: "email_confirmed" });
});

test("registering a known address again reads 'email sent' and sends no second email", async ({ request }) => {
  const lastName = uniqueName("Turing");
  const email = `${lastName.toLowerCase()}@example.com`;
  await registerByApi(request, { firstName: "Alan", lastName, email });
  await theOnlyEmailTo(email);

  await registerByApi(request, { firstName: "Someone", lastName: "Else", email: email.toUpperCase() });
  // A sentinel registered after the repeat: once its email has arrived, a second email for the
  // repeat, handed over before it, would have arrived too.
  const sentinel = `${uniqueName("sentinel")}@example.com`;
  await registerByApi(request, { firstName: "Sentinel", lastName, email: sentinel });
  await theOnlyEmailTo(sentinel);
  expect(await emailsTo(email)).toHaveLength(1);
});

test("the progress stops polling after a while, checks again on request and shows a failed email", async ({ page }) => {
  // A controlled clock, so that "a while" (5 minutes) can pass at once; it runs normally otherwise.
  await page.clock.install();
  const lastName = uniqueName("Hamilton");
  const email = `${lastName.toLowerCase()}@example.com`;

  await registerByForm(page, { firstName: "Margaret", lastName, email });
  const status = page.getByTestId("registration-status");
  await expect(status).toHaveText("email sent", { timeout: 30_000 });

  await page.clock.fastForward("05:01");
  const stopped = page.getByText("We stopped checking for updates.");
  await expect(stopped).toBeVisible();

  // The email bounces later; the page learns it only when asked to check again.
  await setWelcomeEmailStatus(email, "dead");
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/trpc/registration.status")) asked.push(request.url());
  });
  // Were it still polling, these 10 s would fire a poll.
  await page.clock.fastForward("00:10");
  const checkedAgain = page.waitForResponse((response) => response.url().includes("/api/trpc/registration.status"));
  await page.getByRole("button", { name: "Check again" }).click();
  await checkedAgain;
  // Requests leave the page in order: a poll fired by the 10 s would be listed before this one.
  expect(asked).toHaveLength(1);
  await expect(status).toHaveText("email failed");
  await expect(stopped).toBeHidden();
  await expect(page.getByText("we could not deliver the welcome email")).toBeVisible();
});
