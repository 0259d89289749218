import { RegistrationForm } from "./registration-form";

export default function RegisterPage() {
  return (
    <>
      <h1>Register</h1>
      <p className="lead">Tell us who you are. We will send a welcome email with a confirmation link.</p>
      <RegistrationForm />
    </>
  );
}
