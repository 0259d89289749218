-- CreateTable
-- UNLOGGED (Prisma's schema cannot say it): the counts are worth nothing after a crash, and a
-- statement that writes no WAL does not wait for a WAL flush at commit, which every counted
-- request would otherwise do. An unlogged table is emptied after a crash and not copied to
-- standbys: the limits start again from zero then.
CREATE UNLOGGED TABLE "rate_limit_windows" (
    "name" VARCHAR(64) NOT NULL,
    "key" VARCHAR(300) NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_windows_pkey" PRIMARY KEY ("name","key")
);

-- CreateIndex
CREATE INDEX "rate_limit_windows_expires_at_idx" ON "rate_limit_windows"("expires_at");
