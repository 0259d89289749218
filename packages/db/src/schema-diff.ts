/**
 * Indexes schema.prisma declares that Prisma's schema engine cannot read back from PostgreSQL: a
 * B-tree with an operator class (`ops: raw(...)`) is described without it (prisma/orm#28214), so
 * every `migrate diff` drops the index and creates it again exactly as the schema says.
 */
export const UNREADABLE_INDEXES = ["users_email_prefix_idx"] as const;

/** What `prisma migrate diff --script` prints when there is nothing to do. */
export const EMPTY_MIGRATION = "-- This is an empty migration.";

/**
 * A `prisma migrate diff --script` output (blocks of a `-- Comment` line and a statement, apart by
 * blank lines) without the drop-and-create pairs of {@link UNREADABLE_INDEXES}. Only a pair is left
 * out: a CREATE alone (the index missing from the migrations) or a DROP alone (missing from the
 * schema) is drift and stays.
 */
export function withoutUnreadableIndexes(sql: string): string {
  let blocks = sql.split(/\n\s*\n/).map((block) => block.trim());
  for (const name of UNREADABLE_INDEXES) {
    const drop = blocks.indexOf(`-- DropIndex\nDROP INDEX "${name}";`);
    const create = blocks.findIndex((block) => block.startsWith(`-- CreateIndex\nCREATE INDEX "${name}" ON `));
    if (drop >= 0 && create >= 0) blocks = blocks.filter((_, i) => i !== drop && i !== create);
  }
  return blocks.filter(Boolean).join("\n\n") || EMPTY_MIGRATION;
}
