import { describe, expect, it } from "vitest";
import { escapeHtml, renderWelcomeEmail } from "./render-welcome-email";

describe("the welcome email", () => {
  const url = "https://userstream.example/confirm?token=abc.123.def&x=1";

  it("greets the person by name and carries the confirmation link in both parts", () => {
    const email = renderWelcomeEmail({ firstName: "Zoë", lastName: "O'Brien" }, url);
    expect(email.subject).toBe("Welcome to UserStream, Zoë");
    expect(email.text).toContain("Hello Zoë O'Brien,");
    expect(email.text).toContain(url);
    expect(email.html).toContain("Hello Zoë O&#39;Brien,");
    expect(email.html).toContain(`href="${escapeHtml(url)}"`);
  });

  it("escapes markup in names", () => {
    const email = renderWelcomeEmail({ firstName: "<img src=x onerror=alert(1)>", lastName: '"&' }, url);
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;&amp;");
    expect(email.html).not.toContain("<img");
  });
});
