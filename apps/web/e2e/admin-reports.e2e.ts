import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./admin-session";
import { required, uniqueName } from "./inspect";
import { registerByForm } from "./register";

test("admin pages, the reports API and downloads need a signed-in admin", async ({ page }) => {
  for (const path of ["/admin/reports", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\/login$/);
    await expect(page.getByRole("heading", { name: "Admin sign-in" })).toBeVisible();
  }

  const download = await page.request.get(`/api/admin/reports/${crypto.randomUUID()}/download`);
  expect(download.status()).toBe(401);
  expect(await download.json()).toMatchObject({ code: "UNAUTHORIZED" });
  const list = await page.request.get("/api/trpc/reports.list");
  expect(list.status()).toBe(401);
});

test("a wrong password and an unknown email get the same answer", async ({ page }) => {
  const answer = page.getByRole("form", { name: "Admin sign-in" }).getByRole("alert");
  await signIn(page, required("E2E_ADMIN_EMAIL"), "not the password");
  await expect(answer).toHaveText("Email or password is incorrect");
  // The email is kept for the next try; the password is not.
  await expect(page.getByLabel("Email")).toHaveValue(required("E2E_ADMIN_EMAIL"));
  await expect(page.getByLabel("Password")).toHaveValue("");

  await signIn(page, "nobody@userstream.test", required("E2E_ADMIN_PASSWORD"));
  await expect(answer).toHaveText("Email or password is incorrect");
  await page.goto("/admin/reports");
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test("an admin generates a users report, sees it succeed, and downloads the CSV holding a new user", async ({ page }) => {
  const lastName = uniqueName("Report");
  const email = `${lastName.toLowerCase()}@example.com`;
  await registerByForm(page, { firstName: "Ada", lastName, email });
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 20_000 });

  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText(`Signed in as ${required("E2E_ADMIN_EMAIL")}`)).toBeVisible();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reports" }).click();
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();

  await page.getByLabel("Report", { exact: true }).selectOption("users");
  await page.getByRole("button", { name: "Generate report" }).click();
  await expect(page.getByText("Users report queued.")).toBeVisible();

  // Newest first; the page polls while the report is queued or running.
  const row = page.getByTestId("report-row").first();
  await expect(row.getByTestId("report-status")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(row).toContainText("Manual");
  await expect(row).toContainText(required("E2E_ADMIN_EMAIL"));

  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /^Download report_users_/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^report_users_[0-9]{8}T[0-9]{9}Z\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  expect(csv).toContain(`"${email}"`);
  expect(csv).toContain(`"${lastName}"`);

  // Paths instead of ids are not found, even for a signed-in admin.
  for (const id of ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "%2Fetc%2Fpasswd"]) {
    expect((await page.request.get(`/api/admin/reports/${id}/download`)).status(), id).toBe(404);
  }

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin/reports");
  await expect(page).toHaveURL(/\/admin\/login$/);
  expect((await page.request.get("/api/trpc/reports.list")).status()).toBe(401);
});
