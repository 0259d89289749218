import { QUEUES, deadLetterQueue, type NotificationStatus } from "@userstream/contracts";
import { createPrismaClient } from "@userstream/db";
import { connect } from "amqplib";
import { API_KEY_SCOPES, type ApiKeyScope } from "../src/lib/api-keys";
import { createApiKey } from "../src/server/api-key-service";

type E2EVariable =
  | "E2E_DATABASE_URL"
  | "E2E_AMQP_URL"
  | "E2E_MAILDEV_URL"
  | "E2E_CONFIRMATION_TOKEN_SECRET"
  | "E2E_ADMIN_EMAIL"
  | "E2E_ADMIN_PASSWORD"
  | "E2E_CONTROL_URL";

export function required(name: E2EVariable): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through playwright.config.ts`);
  return value;
}

/**
 * Registrations this run's receiver dead-lettered (malformed or failing), from a passive declare of
 * the dead-letter queue: where a refused registration would end had it been published anyway.
 */
export async function parkedRegistrations(): Promise<number> {
  const connection = await connect(required("E2E_AMQP_URL"));
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(deadLetterQueue(QUEUES.registration))).messageCount;
  } finally {
    await connection.close();
  }
}

/** What this run's database holds for people with this last name: their emails, and their registrations. */
export async function storedWithLastName(lastName: string): Promise<{ emails: string[]; registrations: number }> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    const [users, registrations] = await Promise.all([
      db.user.findMany({ where: { lastName }, select: { email: true }, orderBy: { email: "asc" } }),
      db.registration.count({ where: { user: { lastName } } }),
    ]);
    return { emails: users.map((user) => user.email), registrations };
  } finally {
    await db.$disconnect();
  }
}

/** Emails in this run's database with this status, counted as the admin overview counts them. */
export async function emailsWithStatus(status: NotificationStatus): Promise<number> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    return await db.notificationLog.count({ where: { status } });
  } finally {
    await db.$disconnect();
  }
}

/** Letters only (names allow no digits), different on every call. */
export function uniqueName(prefix: string): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  return `${prefix}${letters}`;
}

/** An email as maildev's REST API (`GET /email`) describes it; only what the tests read. */
export interface CaughtEmail {
  subject: string;
  to: { address: string; name: string }[];
  html: string;
  text: string;
}

/** Every email this run's maildev caught that is addressed to `address`. */
export async function emailsTo(address: string): Promise<CaughtEmail[]> {
  const response = await fetch(`${required("E2E_MAILDEV_URL")}/email`);
  if (!response.ok) throw new Error(`maildev answered ${response.status}`);
  const emails = (await response.json()) as CaughtEmail[];
  return emails.filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/**
 * The `href` of the email's confirmation link, or of its link to `page` ("manage": manage my
 * registration). The HTML escapes `&` as `&amp;`.
 */
export function confirmationHref(email: CaughtEmail, page: "confirm" | "manage" = "confirm"): string {
  const match = new RegExp(`href="([^"]*/${page}\\?token=[^"]*)"`).exec(email.html);
  if (!match?.[1]) throw new Error(`no ${page} link in the email:\n${email.html}`);
  return match[1].replaceAll("&amp;", "&");
}

/** The welcome email row of the notification `id`: its user (null once deleted) and what it still says. */
export async function welcomeEmailRow(id: string) {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    return await db.notificationLog.findUnique({
      where: { id },
      select: { userId: true, status: true, lastError: true, providerMessageId: true },
    });
  } finally {
    await db.$disconnect();
  }
}

/** Sets the welcome email's status of the user with `email`, as the sender would after giving up. */
export async function setWelcomeEmailStatus(email: string, status: "failed" | "dead"): Promise<void> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    const { count } = await db.notificationLog.updateMany({ where: { kind: "welcome", user: { email } }, data: { status } });
    if (count !== 1) throw new Error(`expected one welcome email row for ${email}, found ${count}`);
  } finally {
    await db.$disconnect();
  }
}

/** Stores a user directly, as the receiver would, with any names (even ones the form refuses). */
export async function insertUser(firstName: string, lastName: string, email: string): Promise<string> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    const user = await db.user.create({ data: { registrationId: crypto.randomUUID(), firstName, lastName, email } });
    return user.id;
  } finally {
    await db.$disconnect();
  }
}

/** An API key for this run's REST tests (every scope unless told), made as the admin page makes one; returns the key. */
export async function createTestApiKey(name: string, scopes: ApiKeyScope[] = [...API_KEY_SCOPES]): Promise<string> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    return (await createApiKey({ name, scopes }, "e2e@userstream.test", { db })).secret;
  } finally {
    await db.$disconnect();
  }
}
