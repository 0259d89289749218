import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./admin-session";
import { emailsTo, emailsWithStatus, required, uniqueName } from "./inspect";
import { registerByForm } from "./register";

// CVE-2025-29927: Next.js once skipped middleware for requests carrying this header.
const FORGED_SUBREQUEST = { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" };

/** The delivery log row of `email`, the page reloaded until its status reads `status`. */
async function rowWithStatus(page: Page, email: string, status: string) {
  const row = page.getByTestId("email-row").filter({ hasText: email });
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("email-status")).toHaveText(status, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  return row;
}

test("an admin sees a refused welcome email in the delivery log, resends it once, and it arrives", async ({ page }) => {
  const lastName = uniqueName("Refused");
  const email = `refuse-once-${lastName.toLowerCase()}@example.com`;
  await registerByForm(page, { firstName: "Ada", lastName, email });
  await expect(page.getByTestId("registration-status")).toHaveText(/email failed/i, { timeout: 30_000 });

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Emails" }).click();
  await expect(page.getByRole("heading", { name: "Email delivery", level: 1 })).toBeVisible();
  await page.getByLabel("Status").selectOption("failed");
  await page.getByLabel("Email contains").fill(lastName.toLowerCase());
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=failed/);

  const row = page.getByTestId("email-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("email-status")).toHaveText("Failed");
  await expect(row).toContainText("Mailbox unavailable");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");

  await row.getByRole("button", { name: `Resend the email to ${email}` }).click();
  // The log reloads after the resend: the email is no longer failed, so the filtered list is empty.
  await expect(page.getByTestId("email-row")).toHaveCount(0);
  await expect(page.getByText("No emails match.")).toBeVisible();

  await page.goto(`/admin/emails?email=${lastName.toLowerCase()}`);
  const sent = await rowWithStatus(page, email, "Sent");
  await expect(sent).toContainText(`Resent by ${required("E2E_ADMIN_EMAIL")}`);
  await expect(sent.getByRole("cell").nth(3)).toHaveText("2");
  await expect(sent.getByRole("button", { name: /Resend/ })).toHaveCount(0);
  await expect.poll(async () => (await emailsTo(email)).length, { timeout: 20_000 }).toBe(1);

  // The overview counts it and draws the chart.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("count-emails-sent")).toHaveText(String(await emailsWithStatus("sent")));
  await expect(page.getByTestId("registrations-chart")).toBeVisible();
});

test("pages carry a nonce CSP without 'unsafe-inline' scripts, framing refused, and still work", async ({ page }) => {
  const response = await page.goto("/");
  const headers = response?.headers() ?? {};
  const policy = headers["content-security-policy"] ?? "";
  const scriptSrc = policy.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // A fresh nonce on every request.
  const again = (await page.request.get("/")).headers()["content-security-policy"];
  expect(again).not.toBe(policy);

  // The page hydrated under that policy: client-side validation answers.
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByText("First name is required")).toBeVisible();
});

test("no page breaks its own Content-Security-Policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  for (const path of ["/admin/emails", "/admin/reports", "/admin"]) {
    await page.goto(path);
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test("repeated failed sign-ins lock the email typed for that address, whatever X-Forwarded-For it makes up", async ({ page }) => {
  const answer = page.getByRole("form", { name: "Admin sign-in" }).getByRole("alert");
  const stranger = `${uniqueName("nobody").toLowerCase()}@userstream.test`;
  // SIGN_IN_MAX_FAILURES is 5 by default. A new made-up address each time changes nothing: the run's
  // web trusts no proxy, so all six attempts come from this machine's address.
  for (let i = 1; i <= 5; i++) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${i}` });
    await signIn(page, stranger, "a wrong password");
    await expect(answer).toHaveText("Email or password is incorrect");
  }
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.6" });
  await signIn(page, stranger, "a wrong password");
  await expect(answer).toHaveText("Too many failed sign-ins. Please wait a few minutes and try again.");
  // Only that email is locked, and only for this address: the admin, from here too, still signs in.
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
});

test("after signing out, admin pages and procedures are refused, with or without a forged middleware header", async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/emails");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);

  for (const path of ["/admin", "/admin/emails", "/admin/reports"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\/login$/);
    const forged = await page.request.get(path, { headers: FORGED_SUBREQUEST, maxRedirects: 0 });
    expect(forged.status(), path).toBe(307);
    expect(forged.headers().location, path).toMatch(/\/admin\/login$/);
  }
  for (const procedure of ["emails.list", "admin.overview", "reports.list"]) {
    for (const headers of [{}, FORGED_SUBREQUEST]) {
      expect((await page.request.get(`/api/trpc/${procedure}`, { headers })).status(), procedure).toBe(401);
    }
  }
  for (const procedure of ["emails.resend", "emails.replay"]) {
    const response = await page.request.post(`/api/trpc/${procedure}`, {
      headers: { ...FORGED_SUBREQUEST, "content-type": "application/json" },
      data: { json: { id: crypto.randomUUID() } },
    });
    expect(response.status(), procedure).toBe(401);
  }
  const download = await page.request.get(`/api/admin/reports/${crypto.randomUUID()}/download`, { headers: FORGED_SUBREQUEST });
  expect(download.status()).toBe(401);
});
