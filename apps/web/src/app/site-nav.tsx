"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

interface NavLink {
  href: string;
  label: string;
  /** Current on every page below `href` too (a section), not only on `href` itself. */
  section?: boolean;
}

const MAIN_LINKS: NavLink[] = [
  { href: "/", label: "Register" },
  { href: "/users", label: "Users" },
  { href: "/admin", label: "Admin", section: true },
];

function isCurrent(pathname: string, link: NavLink): boolean {
  return pathname === link.href || (link.section === true && pathname.startsWith(`${link.href}/`));
}

export function SiteNav({ label = "Main", links = MAIN_LINKS }: { label?: string; links?: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className="nav-list">
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={isCurrent(pathname, link) ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
