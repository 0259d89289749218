import type { Metadata } from "next";
import Link from "next/link";
import { requireAdminSession } from "~/server/auth/admin-session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdminSession();
  return (
    <>
      <h1>Admin</h1>
      <ul>
        <li>
          <Link href="/admin/reports">Reports</Link>: generate CSV reports of the users or the email notifications, and
          download them.
        </li>
      </ul>
    </>
  );
}
