import type { Page } from "@playwright/test";
import { required } from "./inspect";

/** Signs in on /admin/login (as the run's admin unless told otherwise). */
export async function signIn(page: Page, email = required("E2E_ADMIN_EMAIL"), password = required("E2E_ADMIN_PASSWORD")) {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
