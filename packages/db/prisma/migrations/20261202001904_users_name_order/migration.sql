-- CreateIndex
CREATE INDEX "users_last_name_first_name_id_idx" ON "users"("last_name", "first_name", "id");
