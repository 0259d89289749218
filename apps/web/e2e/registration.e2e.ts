import { expect, test } from "@playwright/test";
import { parkedRegistrations, storedWithLastName, uniqueName } from "./inspect";
import { registerByForm } from "./register";

test("a person registers, sees the registration stored, then finds themselves on /users, not verified yet", async ({ page }) => {
  const lastName = uniqueName("Lovelace");
  const email = `${lastName.toLowerCase()}@example.com`;

  await registerByForm(page, { firstName: "Ada", lastName, email: email.toUpperCase() });

  await expect(page.getByRole("heading", { name: "Registration accepted" })).toBeVisible();
  // The sender runs too, so "stored" may last only a moment: the step this registration must reach is "email sent".
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 20_000 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByLabel("Search by name").fill(lastName.slice(0, 12).toUpperCase());

  await expect(page.getByTestId("users-total")).toHaveText("1 user");
  // Anyone may browse the list: the address shows masked, never whole.
  const row = page.getByRole("row").filter({ hasText: `Ada ${lastName}` });
  await expect(row).toContainText("l•••@e•••.com");
  await expect(row).toContainText("Not verified");
  await expect(page.getByText(email)).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`q=${lastName.slice(0, 12).toUpperCase()}`));
});

test("an invalid email shows a field error and publishes nothing", async ({ page }) => {
  const lastName = uniqueName("Turing");
  const parkedBefore = await parkedRegistrations();

  await registerByForm(page, { firstName: "Alan", lastName, email: "not-an-email" });

  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter an email address like name@example.com");
  await expect(email).toBeFocused();
  await expect(page.getByRole("heading", { name: "Registration accepted" })).toHaveCount(0);

  // Correcting the field clears its error (without submitting).
  const corrected = `${lastName.toLowerCase()}@example.com`;
  await email.fill(corrected);
  await expect(email).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter an email address like name@example.com")).toHaveCount(0);

  // The corrected registration is the sentinel: once it is stored, one published before it would be
  // stored (or dead-lettered, being invalid) too.
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 20_000 });
  expect(await storedWithLastName(lastName)).toEqual({ emails: [corrected], registrations: 1 });
  expect(await parkedRegistrations()).toBe(parkedBefore);
});

test("the users page shows an empty state for a search that matches nobody", async ({ page }) => {
  await page.goto(`/users?q=${uniqueName("nobody")}`);
  await expect(page.getByTestId("users-total")).toHaveText("0 users");
  await expect(page.getByTestId("users-empty")).toContainText("No users match");
});

test("a registration whose answer never came shows an alert that it may still go through, never a false success", async ({
  page,
}) => {
  // The page cannot tell a request that never left from one whose answer was lost: the server may
  // have accepted it, so the alert says so, and that trying again is safe.
  await page.route("**/api/trpc/registration.submit**", (route) => route.abort("connectionrefused"));

  await registerByForm(page, { firstName: "Grace", lastName: uniqueName("Hopper"), email: "grace@example.com" });

  const alert = page.getByRole("form", { name: "Registration" }).getByRole("alert");
  await expect(alert).toContainText("It may still go through");
  await expect(alert).toContainText("Trying again is safe");
  await expect(page.getByRole("heading", { name: "Registration accepted" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Register" })).toBeEnabled();
});
