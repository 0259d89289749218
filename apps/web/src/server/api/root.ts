import { adminRouter } from "./routers/admin";
import { emailsRouter } from "./routers/emails";
import { registrationRouter } from "./routers/registration";
import { reportsRouter } from "./routers/reports";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  registration: registrationRouter,
  users: usersRouter,
  reports: reportsRouter,
  emails: emailsRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a given context. */
export const createCaller = createCallerFactory(appRouter);
