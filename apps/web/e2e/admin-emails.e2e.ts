import { expect, test } from "@playwright/test";
import { signIn } from "./admin-session";
import { emailsWithStatus, uniqueName } from "./inspect";
import { registerByForm } from "./register";

// CVE-2025-29927: Next.js once skipped middleware for requests carrying this header.
const FORGED_SUBREQUEST = { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" };

test("an admin sees a refused welcome email bounce on its timeline, and takes its address off the suppression list", async ({
  page,
}) => {
  const lastName = uniqueName("Refused");
  const email = `refuse-once-${lastName.toLowerCase()}@example.com`;
  await registerByForm(page, { firstName: "Ada", lastName, email });
  await expect(page.getByTestId("registration-status")).toHaveText(/email failed/i, { timeout: 30_000 });

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Emails" }).click();
  await expect(page.getByRole("heading", { name: "Email delivery", level: 1 })).toBeVisible();
  await page.getByLabel("Status").selectOption("bounced");
  await page.getByLabel("Email contains").fill(lastName.toLowerCase());
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=bounced/);

  // The relay's 550 to the recipient is a hard bounce: recorded once, not retried, never resendable.
  const row = page.getByTestId("email-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("email-status")).toHaveText("Bounced");
  await expect(row).toContainText("Mailbox unavailable");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");
  await expect(row.getByRole("button", { name: /Resend/ })).toHaveCount(0);
  await row.getByTestId("email-timeline").getByText("Timeline (1)").click();
  await expect(row.getByTestId("email-timeline")).toContainText("Bounced (hard)");

  // Its address is on the suppression list, with the event that put it there.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Suppressions" }).click();
  await expect(page.getByRole("heading", { name: "Suppression list", level: 1 })).toBeVisible();
  await page.getByLabel("Search addresses").fill(lastName.toLowerCase());
  const entry = page.getByTestId("suppression-row").filter({ hasText: email });
  await expect(entry).toContainText("Hard bounce");
  await expect(entry).toContainText("smtp bounced");
  await entry.getByRole("button", { name: `Remove ${email}` }).click();
  await page.getByLabel("Reason").fill("The person fixed their mailbox");
  await page.getByRole("button", { name: "Remove address" }).click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(0);
  await expect(page.getByText("No suppressed addresses match.")).toBeVisible();

  // The overview counts it and draws the chart.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("count-emails-sent")).toHaveText(String(await emailsWithStatus("sent")));
  await expect(page.getByTestId("count-emails-bounced")).toHaveText(String(await emailsWithStatus("bounced")));
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

test("after signing out, admin pages and procedures are refused, with or without a forged middleware header", async ({
  page,
}) => {
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
