import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { TRPCReactProvider } from "~/trpc/react";
import { SiteNav } from "./site-nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "UserStream", template: "%s · UserStream" },
  description: "Register, and browse registered users.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={GeistSans.variable}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <span className="brand">UserStream</span>
          <SiteNav />
        </header>
        <TRPCReactProvider>
          <main id="main" className="page">
            {children}
          </main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
