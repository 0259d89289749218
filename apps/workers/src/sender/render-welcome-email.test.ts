import { describe, expect, it } from "vitest";
import { escapeHtml, renderWelcomeEmail } from "./render-welcome-email";

/** The HTML as a reader sees its text: tags dropped, entities decoded, zero-width spaces invisible. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replaceAll("&#8203;", "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

describe("the welcome email", () => {
  const url = "https://userstream.example/confirm?token=abc.123.def&x=1";
  const manageUrl = "https://userstream.example/manage?token=abc.456.ghi";
  const links = { confirmUrl: url, manageUrl };

  it("greets the person by name and carries the confirmation and manage links in both parts", () => {
    const email = renderWelcomeEmail({ firstName: "Zoë", lastName: "O'Brien" }, links);
    expect(email.subject).toBe("Welcome to UserStream");
    expect(email.text).toContain("Hello Zoë O'Brien,");
    expect(email.text).toContain(url);
    expect(email.html).toContain("Hello Zoë O&#39;Brien,");
    expect(email.html).toContain(`href="${escapeHtml(url)}"`);
    expect(email.text).toContain(`Manage my registration (download your data, or erase your registration):\n${manageUrl}`);
    expect(email.html).toContain(`<a href="${escapeHtml(manageUrl)}">Manage my registration</a>`);
  });

  it("escapes markup in names", () => {
    const email = renderWelcomeEmail({ firstName: "<img src=x onerror=alert(1)>", lastName: '"&' }, links);
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;&amp;");
    expect(email.html).not.toContain("<img");
  });

  it.each([
    ["Visit", "evil.example now"],
    ["http://evil.example", "x"],
    ["Mail", "me@evil.example"],
    ["www.evil.example/pay", "<b>now</b>"],
  ])("shows the name %j %j as text, never as a link or in the subject", (firstName, lastName) => {
    const email = renderWelcomeEmail({ firstName, lastName }, links);
    expect(email.subject).toBe("Welcome to UserStream");
    expect(email.text).toContain(`Hello ${firstName} ${lastName},`);
    expect(visibleText(email.html)).toContain(`Hello ${firstName} ${lastName},`);
    // No links but ours, and nothing left that a mail client would turn into one.
    expect(email.html.match(/<a\b/g)).toHaveLength(2);
    expect(email.html.replaceAll(escapeHtml(url), "").replaceAll(escapeHtml(manageUrl), "")).not.toMatch(
      /evil\.example|https?:|www\.|@evil/,
    );
  });
});
