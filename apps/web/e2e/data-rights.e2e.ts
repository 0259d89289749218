import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./admin-session";
import { confirmationHref, emailsTo, uniqueName, welcomeEmailRow } from "./inspect";
import { registerByForm } from "./register";

test("a person follows 'manage my registration' from the welcome email, downloads their data and erases it; the admin sees it gone", async ({
  page,
  context,
  baseURL,
}) => {
  // The whole journey: registering, the email, two tabs, the download, the erasure, the admin.
  test.setTimeout(180_000);
  const lastName = uniqueName("Franklin");
  const email = `${lastName.toLowerCase()}@example.com`;
  await registerByForm(page, { firstName: "Rosalind", lastName, email });
  await expect(page.getByTestId("registration-status")).toHaveText("email sent", { timeout: 30_000 });

  // The welcome email as the mail catcher received it.
  await expect.poll(async () => (await emailsTo(email)).length, { timeout: 20_000 }).toBe(1);
  const [welcome] = await emailsTo(email);
  const manageHref = confirmationHref(welcome!, "manage");
  expect(manageHref.startsWith(`${baseURL}/manage?token=`), manageHref).toBe(true);
  expect(welcome!.text).toContain(manageHref);

  // Opened in another tab, as from a mail client.
  const mailTab = await context.newPage();
  const response = await mailTab.goto(manageHref);
  expect(response?.headers()["x-robots-tag"]).toContain("noindex");
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(mailTab.getByRole("heading", { name: "Manage my registration" })).toBeVisible();
  await expect(mailTab.getByText("Hello Rosalind")).toBeVisible();

  // The confirmation link does not open this page, and this link does not confirm.
  const confirmToken = new URL(confirmationHref(welcome!)).searchParams.get("token") ?? "";
  await page.goto(`/manage?token=${encodeURIComponent(confirmToken)}`);
  await expect(page.getByText("This is the link that confirms your email address")).toBeVisible();
  await page.goto(manageHref.replace("/manage?", "/confirm?"));
  await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();

  const downloaded = mailTab.waitForEvent("download");
  await mailTab.getByRole("button", { name: "Download my data" }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toMatch(/^userstream-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile((await download.path()) ?? "", "utf8")) as {
    user: { email: string; firstName: string; lastName: string; emailVerifiedAt: string | null };
    emails: { id: string; kind: string; status: string; events: unknown[] }[];
    webhookDeliveries: unknown[];
  };
  expect(data.user).toMatchObject({ email, firstName: "Rosalind", lastName, emailVerifiedAt: null });
  expect(data.emails).toEqual([expect.objectContaining({ kind: "welcome", status: "sent", events: [] })]);
  const notificationId = data.emails[0]!.id;

  // Erasing takes a second, explicit step.
  await mailTab.getByRole("button", { name: "Erase my registration…" }).click();
  const confirmStep = mailTab.getByRole("group", { name: "Confirm erasing" });
  await expect(confirmStep).toContainText("for good?");
  await confirmStep.getByRole("button", { name: "Yes, erase my registration" }).click();
  await expect(mailTab.getByRole("heading", { name: "Your registration is erased" })).toBeVisible({ timeout: 30_000 });

  // The same link now opens nothing, and says why.
  await mailTab.goto(manageHref);
  await expect(mailTab.getByText("There is no registration for this link any more: it has been erased.")).toBeVisible();

  // The admin: no such user; the email's record kept, with nothing that says whose it was.
  await signIn(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto(`/admin/users?q=${lastName}`);
  await expect(page.getByText(`No users match “${lastName}”.`)).toBeVisible();
  await page.goto("/admin/emails");
  const newest = page.getByTestId("email-row").first();
  await expect(newest).toContainText("deleted user");
  await expect(newest.getByTestId("email-status")).toHaveText("Sent");
  await expect(page.getByText(email)).toHaveCount(0);
  expect(await welcomeEmailRow(notificationId)).toEqual({
    userId: null,
    status: "sent",
    lastError: null,
    providerMessageId: null,
  });
});
