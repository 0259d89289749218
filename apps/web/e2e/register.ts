import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Who registers: the form's three fields. */
export interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

/** Fills in the registration form on the home page as `person` and submits it. */
export async function registerByForm(page: Page, person: Person): Promise<void> {
  await page.goto("/");
  await page.getByLabel("First name").fill(person.firstName);
  await page.getByLabel("Last name").fill(person.lastName);
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Register" }).click();
}

/** Registers through the REST API and waits until the registration reads "email_sent"; returns its id. */
export async function registerByApi(request: APIRequestContext, person: Person): Promise<string> {
  const response = await request.post("/api/v1/registrations", { data: person });
  expect(response.status()).toBe(202);
  const { registrationId } = (await response.json()) as { registrationId: string };
  await expect
    .poll(
      async () => ((await (await request.get(`/api/v1/registrations/${registrationId}`)).json()) as { status: string }).status,
      {
        timeout: 30_000,
      },
    )
    .toBe("email_sent");
  return registrationId;
}
