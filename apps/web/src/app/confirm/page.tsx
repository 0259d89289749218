import type { Metadata } from "next";
import Link from "next/link";
import { env } from "~/env";
import { getDb } from "~/server/db";
import { getLogger } from "~/server/logger";
import { confirmEmail, type EmailConfirmationResult } from "~/server/email-confirmation-service";

export const metadata: Metadata = {
  title: "Confirm your email",
  // A confirmation link is personal: never in a search index, and its links are not to be followed.
  robots: { index: false, follow: false },
};

// Opening the link is what confirms (GET with a side effect, by design: it comes from an email),
// so every request must reach the server: never prerendered, never served from a cache.
export const dynamic = "force-dynamic";

type Outcome = EmailConfirmationResult | "unavailable";

const OUTCOMES: Record<Outcome, { heading: string; text: string; tone: "ok" | "problem"; usersLink: boolean }> = {
  confirmed: {
    heading: "Email confirmed",
    text: "Thank you: your email address is confirmed. There is nothing more to do.",
    tone: "ok",
    usersLink: true,
  },
  "already-confirmed": {
    heading: "Already confirmed",
    text: "This email address was confirmed before. There is nothing more to do.",
    tone: "ok",
    usersLink: true,
  },
  expired: {
    heading: "This link has expired",
    text:
      "Confirmation links are valid for a limited time only, and this one has run out. " +
      "Your registration is kept; the email address stays unconfirmed.",
    tone: "problem",
    usersLink: false,
  },
  invalid: {
    heading: "This link is not valid",
    text:
      "The link may have been cut off or changed. Open it from the email exactly as it was sent, " +
      "or copy the whole address into your browser.",
    tone: "problem",
    usersLink: false,
  },
  unavailable: {
    heading: "We could not confirm your email right now",
    text: "Something went wrong on our side. Please open the link again in a moment.",
    tone: "problem",
    usersLink: false,
  },
};

/** Link tokens are about 120 characters; anything far longer is not one and is not worth checking. */
const TOKEN_MAX_LENGTH = 512;

async function confirm(token: string | string[] | undefined): Promise<Outcome> {
  if (typeof token !== "string" || token.length > TOKEN_MAX_LENGTH) return "invalid";
  try {
    return await confirmEmail(token, { db: getDb(), secret: env.CONFIRMATION_TOKEN_SECRET });
  } catch (error) {
    // The database is away: a page that says so beats Next's generic error page; the log says why.
    const message = error instanceof Error ? error.message.trim().split("\n").at(-1) : String(error);
    getLogger().error({ error: message }, "email confirmation failed");
    return "unavailable";
  }
}

/** Where the welcome email's link lands: `/confirm?token=…`. */
export default async function ConfirmPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const outcome = OUTCOMES[await confirm(token)];
  return (
    <section className={outcome.tone === "ok" ? "notice" : "notice problem"} aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">{outcome.heading}</h1>
      <p>{outcome.text}</p>
      <p>{outcome.usersLink ? <Link href="/users">See all users</Link> : <Link href="/">Go to the registration page</Link>}</p>
    </section>
  );
}
