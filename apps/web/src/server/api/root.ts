import { adminRouter } from "./routers/admin";
import { emailsRouter } from "./routers/emails";
import { apiKeysRouter } from "./routers/api-keys";
import { dataRightsRouter } from "./routers/data-rights";
import { pipelineRouter } from "./routers/pipeline";
import { registrationRouter } from "./routers/registration";
import { reportsRouter } from "./routers/reports";
import { suppressionsRouter } from "./routers/suppressions";
import { adminUsersRouter, serviceUsersRouter, usersRouter } from "./routers/users";
import { webhooksRouter } from "./routers/webhooks";
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
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a given context. */
export const createCaller = createCallerFactory(appRouter);
