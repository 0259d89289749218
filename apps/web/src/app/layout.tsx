import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { connection } from "next/server";
import { TRPCReactProvider } from "~/trpc/react";
import { SiteNav } from "./site-nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "UserStream", template: "%s · UserStream" },
  description: "Register, and browse registered users.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  await connection();
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
