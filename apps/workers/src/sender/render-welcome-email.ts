const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** The welcome email, in plain text and HTML, with the person's name escaped and the confirmation link. */
export function renderWelcomeEmail(person: { firstName: string; lastName: string }, confirmUrl: string) {
  const name = `${person.firstName} ${person.lastName}`;
  const subject = `Welcome to UserStream, ${person.firstName}`;
  const text = [
    `Hello ${name},`,
    "",
    "Thank you for registering with UserStream. Please confirm your email address by opening this link:",
    "",
    confirmUrl,
    "",
    "If you did not register, you can ignore this email.",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en">
  <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">
    <p>Hello ${escapeHtml(name)},</p>
    <p>Thank you for registering with UserStream. Please confirm your email address:</p>
    <p><a href="${escapeHtml(confirmUrl)}" style="background:#1d4ed8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm my email</a></p>
    <p style="font-size: 0.9em; color: #555">Or open this link: ${escapeHtml(confirmUrl)}</p>
    <p style="font-size: 0.9em; color: #555">If you did not register, you can ignore this email.</p>
  </body>
</html>`;
  return { subject, text, html };
}
