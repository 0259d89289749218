"use client";

import { useActionState } from "react";
import { Alert } from "~/app/components/form-messages";
import { signIn, type SignInState } from "../actions";

const INITIAL: SignInState = { error: null, email: "", attempt: 0 };

/** Works without JavaScript too: the form posts to the server action either way. */
export function SignInForm() {
  const [state, action, pending] = useActionState(signIn, INITIAL);
  return (
    <form key={state.attempt} className="form" action={action} aria-label="Admin sign-in">
      <Alert message={state.error} />
      <div className="field">
        <label htmlFor="admin-email">Email</label>
        <input id="admin-email" name="email" type="email" autoComplete="username" required defaultValue={state.email} />
      </div>
      <div className="field">
        <label htmlFor="admin-password">Password</label>
        <input id="admin-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
