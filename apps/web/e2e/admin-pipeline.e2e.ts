import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./admin-session";
import { required, uniqueName } from "./inspect";

/** Stops or starts this run's receiver through the global setup's control port (starting a running one does nothing). */
async function receiver(action: "stop" | "start") {
  const response = await fetch(`${required("E2E_CONTROL_URL")}/receiver/${action}`, {
    method: "POST",
    signal: AbortSignal.timeout(100_000),
  });
  expect(response.status).toBe(204);
}

async function register(page: Page) {
  const name = uniqueName("Pipe");
  const response = await page.request.post("/api/v1/registrations", {
    data: { firstName: name, lastName: "Pipeline", email: `${name.toLowerCase()}@example.com` },
  });
  expect(response.status()).toBe(202);
}

test("the pipeline view needs a signed-in admin", async ({ page }) => {
  await page.goto("/admin/pipeline");
  await expect(page).toHaveURL(/\/admin\/login$/);
  expect((await page.request.get("/api/trpc/pipeline.snapshot")).status()).toBe(401);
});

test("the pipeline view shows the queue filling while the receiver is stopped and draining once it is back", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Pipeline" }).click();
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();

  const processes = page.getByRole("table", { name: "Processes" });
  const queues = page.getByRole("table", { name: "Queues" });
  const receiverState = processes
    .getByRole("row", { name: /^receiver/ })
    .getByRole("cell")
    .first();
  const registrationQueue = queues.getByRole("row", { name: /^user\.registration\s/ });
  const depth = registrationQueue.getByRole("cell").nth(1);
  const consumers = registrationQueue.getByRole("cell").nth(2);

  await expect(receiverState).toHaveText("Ready");
  await expect(
    processes
      .getByRole("row", { name: /^sender/ })
      .getByRole("cell")
      .first(),
  ).toHaveText("Ready");
  await expect(
    processes
      .getByRole("row", { name: /^reporter/ })
      .getByRole("cell")
      .first(),
  ).toHaveText("Ready");
  await expect(depth).toHaveText("0");
  await expect(consumers).toHaveText("1");
  await expect(queues.getByRole("row", { name: /^user\.registration\.dead/ })).toBeVisible();
  await expect(queues.getByRole("row", { name: /^email\.send\.retry\.1/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the RabbitMQ management UI" })).toHaveAttribute("href", /:15672/);
  await expect(page.getByRole("img", { name: "Registrations per minute" })).toBeVisible();

  await receiver("stop");
  try {
    await expect(receiverState).toHaveText("Not reachable");
    await expect(consumers).toHaveText("0");

    await register(page);
    await expect(depth).toHaveText("1");
    await register(page);
    await register(page);
    await expect(depth).toHaveText("3");
  } finally {
    // The tests after this one need the receiver, whatever happened here.
    await receiver("start");
  }
  await expect(receiverState).toHaveText("Ready", { timeout: 30_000 });
  await expect(consumers).toHaveText("1");
  await expect(depth).toHaveText("0", { timeout: 30_000 });
  await expect(page.getByText(/^Registrations: \d+ this minute/)).toBeVisible();
});
