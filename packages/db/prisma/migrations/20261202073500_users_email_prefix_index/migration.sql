-- CreateIndex
CREATE INDEX "users_email_prefix_idx" ON "users"("email" text_pattern_ops);
