import { expect, test } from "@playwright/test";
import { startWebhookReceiver } from "@userstream/test-support/webhook-receiver";
import { Webhook } from "standardwebhooks";
import { signIn } from "./admin-session";
import { uniqueName } from "./inspect";
import { registerByForm } from "./register";

test("an admin adds a webhook endpoint, copies its secret shown once, and sees the signed delivery of a registration with its attempt", async ({
  page,
}) => {
  // Sign-in, a registration through every process and its delivery: slow on a busy machine.
  test.setTimeout(150_000);
  const receiver = await startWebhookReceiver();
  try {
    await signIn(page);
    await expect(page).toHaveURL(/\/admin$/);
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    const url = `${receiver.origin}/hooks/${uniqueName("crm").toLowerCase()}`;
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description (optional)").fill("CRM sync");
    await page.getByLabel("user.email_confirmed").uncheck();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByTestId("new-webhook-secret");
    await expect(shown).toContainText("it will not be shown again");
    const secret = (await shown.locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByTestId("webhook-endpoint-row").filter({ hasText: url });
    await expect(row).toContainText("user.registered, user.deleted");
    await expect(row).toContainText("Active");

    // Shown once: not on the page once it is loaded again.
    await page.reload();
    await expect(page.getByTestId("webhook-endpoint-row").filter({ hasText: url })).toHaveCount(1);
    expect(await page.content()).not.toContain(secret);

    const lastName = uniqueName("Hooked");
    const email = `hooked-${lastName.toLowerCase()}@example.com`;
    await registerByForm(page, { firstName: "Ada", lastName, email });
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const [request] = receiver.received;
    const event = new Webhook(secret).verify(request?.body ?? "", request?.headers as Record<string, string>);
    expect(event).toMatchObject({ type: "user.registered", data: { email, lastName } });

    await page.goto("/admin/webhooks");
    const delivery = page.getByTestId("webhook-delivery-row").filter({ hasText: url });
    await expect(delivery).toHaveCount(1);
    await expect(delivery).toContainText("user.registered");
    await expect(delivery).toContainText("delivered");
    await expect(delivery.getByRole("listitem")).toHaveText([/^200, \d+ ms$/]);
  } finally {
    await receiver.close();
  }
});

test("an address that is not http(s) is refused when added, with the reason beside the field", async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/webhooks");
  await page.getByLabel("Endpoint URL").fill("ftp://example.com/hooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.locator("#webhook-url-error")).toHaveText("Enter an http:// or https:// address.");
  await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
});
