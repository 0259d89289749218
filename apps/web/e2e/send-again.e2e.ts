import { expect, test } from "@playwright/test";
import { createPrismaClient } from "@userstream/db";
import { emailsTo, required, uniqueName } from "./inspect";
import { registerByForm } from "./register";

/** The welcome email's row of `email`: its status and how often it was sent again. */
async function welcomeOf(email: string) {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    return await db.notificationLog.findFirstOrThrow({ where: { user: { email } }, select: { status: true, resends: true } });
  } finally {
    await db.$disconnect();
  }
}

// The only test of the run that sends again: the limit counts per client address too, and every test is 127.0.0.1.
test("a registrant sends the welcome email again once; a second request within the cooldown is refused and sends nothing", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const lastName = uniqueName("Meitner");
  const email = `${lastName.toLowerCase()}@example.com`;
  await registerByForm(page, { firstName: "Lise", lastName, email });
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 30_000 });
  await expect.poll(async () => (await emailsTo(email)).length, { timeout: 20_000 }).toBe(1);

  await page.getByRole("button", { name: "Send the email again" }).click();
  await expect(page.getByText("The welcome email is on its way again.")).toBeVisible();
  await expect.poll(async () => (await emailsTo(email)).length, { timeout: 20_000 }).toBe(2);
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 30_000 });

  await page.getByRole("button", { name: "Send the email again" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "sent again" })).toHaveText(
    /^The email was sent again to this address a moment ago\. Nothing was sent\. You can ask again at \d\d:\d\d UTC \(in (10|9) minutes\)\.$/,
  );
  // Refused before anything was queued: the row says one send again, sent, and no third email came.
  expect(await welcomeOf(email)).toEqual({ status: "sent", resends: 1 });
  expect(await emailsTo(email)).toHaveLength(2);
});
