const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Text a stranger typed (a name), escaped and broken where mail clients would see a link: a zero-width
 * space on both sides of each `.`, `:`, `/` and `@`, so "evil.example", "http://evil.example" or "a@evil.example"
 * is shown as typed but matches no client's URL, domain or address pattern. A no-link wrapper (a span)
 * would not do: clients link text inside any element but `<a>`.
 */
function unlinkableHtml(text: string): string {
  return escapeHtml(text).replace(/[.:/@]/g, "&#8203;$&&#8203;");
}

/** The welcome email's two links, each signed for its own purpose. */
export interface WelcomeLinks {
  /** Confirms the address (`/confirm?token=…`). */
  confirmUrl: string;
  /** "Manage my registration": download what is held, or erase it (`/manage?token=…`). */
  manageUrl: string;
}

/**
 * The welcome email, in plain text and HTML, with the confirmation link and the "manage my
 * registration" link. The person's name is only in the greeting, never in the subject (the part a
 * recipient reads before anything else, which a stranger registering someone else's address would
 * otherwise write), and never as a link.
 */
export function renderWelcomeEmail(person: { firstName: string; lastName: string }, { confirmUrl, manageUrl }: WelcomeLinks) {
  const name = `${person.firstName} ${person.lastName}`;
  const subject = "Welcome to UserStream";
  const text = [
    `Hello ${name},`,
    "",
    "Thank you for registering with UserStream. Please confirm your email address by opening this link:",
    "",
    confirmUrl,
    "",
    "If you did not register, you can ignore this email.",
    "",
    "Manage my registration (download your data, or erase your registration):",
    manageUrl,
  ].join("\n");
  const html = `<!doctype html>
<html lang="en">
  <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">
    <p>Hello ${unlinkableHtml(name)},</p>
    <p>Thank you for registering with UserStream. Please confirm your email address:</p>
    <p><a href="${escapeHtml(confirmUrl)}" style="background:#1d4ed8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm my email</a></p>
    <p style="font-size: 0.9em; color: #555">Or open this link: ${escapeHtml(confirmUrl)}</p>
    <p style="font-size: 0.9em; color: #555">If you did not register, you can ignore this email.</p>
    <p style="font-size: 0.9em; color: #555"><a href="${escapeHtml(manageUrl)}">Manage my registration</a>: download your data, or erase your registration.</p>
  </body>
</html>`;
  return { subject, text, html };
}
