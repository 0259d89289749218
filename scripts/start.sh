#!/usr/bin/env bash
# `npm start`: install what is missing, check PostgreSQL and RabbitMQ, apply migrations, build, and
# run every process under one supervisor. `pnpm dev` is the same with `--dev`: only the Prisma
# client is built, and the processes run from source with hot reload.
# Configuration: the environment, then .env, then .env.example (each process reads them itself).
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
node scripts/preflight.mjs start
pnpm db:migrate
if [ "${1:-}" = "--dev" ]; then
  pnpm turbo build --filter=@userstream/db
  exec node scripts/supervise.mjs --dev
fi
pnpm build
exec node scripts/supervise.mjs
