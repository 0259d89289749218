import { adminRouter } from "./routers/admin";
import { emailsRouter } from "./routers/emails";
import { adminUsersRouter } from "./routers/admin-users";
import { apiKeysRouter } from "./routers/api-keys";
import { dataRightsRouter } from "./routers/data-rights";
import { pipelineRouter } from "./routers/pipeline";
import { registrationRouter } from "./routers/registration";
import { reportsRouter } from "./routers/reports";
import { serviceUsersRouter } from "./routers/service-users";
import { suppressionsRouter } from "./routers/suppressions";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  registration: registrationRouter,
  users: usersRouter,
  reports: reportsRouter,
  adminUsers: adminUsersRouter,
  apiKeys: apiKeysRouter,
  /** `/api/v1/users` (REST, API keys). */
  serviceUsers: serviceUsersRouter,
  emails: emailsRouter,
  suppressions: suppressionsRouter,
  admin: adminRouter,
  pipeline: pipelineRouter,
  /** "Manage my registration": download or erase, by the welcome email's signed link. */
  dataRights: dataRightsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a given context. */
export const createCaller = createCallerFactory(appRouter);
