#!/usr/bin/env bash
# `npm start`: install what is missing, apply migrations, build, and run every process.
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
load_env
pnpm db:migrate
pnpm build
exec node scripts/supervise.mjs
