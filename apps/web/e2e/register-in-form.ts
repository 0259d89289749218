import type { Page } from "@playwright/test";

/** Opens the registration page and submits its form for `person`, as a person would; does not wait for the answer. */
export async function registerInForm(page: Page, person: { firstName: string; lastName: string; email: string }): Promise<void> {
  await page.goto("/");
  await page.getByLabel("First name").fill(person.firstName);
  await page.getByLabel("Last name").fill(person.lastName);
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Register" }).click();
}
