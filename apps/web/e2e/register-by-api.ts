import { expect, type APIRequestContext } from "@playwright/test";

/** Registers through the REST API and waits until the registration reads "email_sent"; returns its id. */
export async function registerByApi(request: APIRequestContext, person: { firstName: string; lastName: string; email: string }): Promise<string> {
  const response = await request.post("/api/v1/registrations", { data: person });
  expect(response.status()).toBe(202);
  const { registrationId } = (await response.json()) as { registrationId: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/registrations/${registrationId}`)).json()) as { status: string }).status, {
      timeout: 30_000,
    })
    .toBe("email_sent");
  return registrationId;
}
