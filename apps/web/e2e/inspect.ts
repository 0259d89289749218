import { QUEUES } from "@userstream/contracts";
import { createPrismaClient } from "@userstream/db";
import { connect } from "amqplib";

function required(name: "E2E_DATABASE_URL" | "E2E_AMQP_URL"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through playwright.config.ts`);
  return value;
}

/** Messages waiting in this run's `user.registration` queue. */
export async function registrationQueueDepth(): Promise<number> {
  const connection = await connect(required("E2E_AMQP_URL"));
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(QUEUES.registration)).messageCount;
  } finally {
    await connection.close();
  }
}

/** Rows in this run's database: every registration the receiver processed, and the users. */
export async function databaseCounts(): Promise<{ registrations: number; users: number }> {
  const db = createPrismaClient(required("E2E_DATABASE_URL"));
  try {
    const [registrations, users] = await Promise.all([db.registration.count(), db.user.count()]);
    return { registrations, users };
  } finally {
    await db.$disconnect();
  }
}

/** Letters only (names allow no digits), different on every call. */
export function uniqueName(prefix: string): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  return `${prefix}${letters}`;
}
