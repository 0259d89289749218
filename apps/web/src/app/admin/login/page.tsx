import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getAdminSession } from "~/server/auth/admin-session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Admin sign-in", robots: { index: false, follow: false } };

export default async function AdminSignInPage() {
  if (await getAdminSession()) redirect("/admin");
  return (
    <>
      <h1>Admin sign-in</h1>
      <p className="lead">Reports and other admin pages need a signed-in admin.</p>
      <SignInForm />
    </>
  );
}
