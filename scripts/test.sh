#!/usr/bin/env bash
# `npm test`: install what is missing, build, then run every test: unit and integration (Vitest,
# against the real PostgreSQL and RabbitMQ), end-to-end (Playwright in Chromium) and the chaos
# suite (its own PostgreSQL cluster and RabbitMQ node, faults injected; see docs/reliability.md).
# Every step is counted in the closing line, passed, failed or never run (scripts/test-steps.sh);
# the order and what runs side by side are explained in docs/architecture.md, "Testing".
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/test-steps.sh"

mkdir -p .test-output
rm -f .test-output/*.json .test-output/*.log
plan_steps install preflight sweep test-template build typecheck lint vitest=.test-output/vitest.json \
  bench:report bench:ingest bench:accept bench:list bench:email bench:scaling bench:startup bench:capacity \
  playwright=.test-output/playwright.json chaos=.test-output/chaos.json

install() { ensure_pnpm && ensure_dependencies; }
step install install
stop_if_a_step_failed
# What the tests need (PostgreSQL, RabbitMQ, rabbitmqctl, Chromium, PostgreSQL's server binaries),
# one line per missing thing, before minutes are spent.
step preflight node scripts/preflight.mjs test
stop_if_a_step_failed
# What killed runs left (databases, roles, vhosts, the chaos cluster), only when its owner is
# provably gone. What this run makes for its whole length is owned by this shell, not by the
# short-lived process that made it.
export USERSTREAM_TEST_OWNER_PID=$$
step sweep pnpm test:sweep

# One migrated template database for the whole run: every test database (Vitest's, the end-to-end
# run's, the benchmarks', the chaos cluster's) is a copy of it instead of a Prisma CLI run. Made
# beside the build (it needs only the migrations), since the Prisma CLI spends most of its 12 s
# waiting; its name is passed on through a file, as a background step cannot export it.
test_template() {
  (cd packages/db && node --import tsx scripts/test-template.ts "$@")
}
TEMPLATE_NAME_FILE="$ROOT/.test-output/test-template.name"
create_test_template() {
  test_template create >"$TEMPLATE_NAME_FILE"
}
in_background test-template step test-template create_test_template

# The main build runs with secret-looking values in its environment; the bundle scan
# (apps/web/src/bundle-secrets.integration.test.ts) searches this build's browser files for them.
export BUNDLE_SENTINELS_RECORD="$ROOT/.test-output/bundle-sentinels.json"
step build node apps/web/scripts/build-with-sentinels.mjs "$BUNDLE_SENTINELS_RECORD" -- pnpm build
# Side by side; `--only`: the build they depend on has just run.
# Lint is ESLint in every package and Prettier's check over the tree (`pnpm lint` without the build).
lint_sources() { pnpm turbo lint --only && pnpm format:check; }
in_background lint step lint lint_sources
step typecheck pnpm turbo typecheck --only
wait_for_background_steps
if [ -s "$TEMPLATE_NAME_FILE" ]; then
  USERSTREAM_TEST_TEMPLATE_DATABASE="$(cat "$TEMPLATE_NAME_FILE")"
  export USERSTREAM_TEST_TEMPLATE_DATABASE
  at_exit test_template drop "$USERSTREAM_TEST_TEMPLATE_DATABASE"
fi
stop_if_a_step_failed

# The chaos suite has a PostgreSQL cluster and a RabbitMQ node of its own: it runs beside the rest.
in_background chaos step chaos pnpm --filter @userstream/chaos test:chaos --reporter=default --reporter=json \
  --outputFile.json="$ROOT/.test-output/chaos.json"
step vitest pnpm vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json
# A small run of each benchmark keeps them working (their figures come from `pnpm bench`); beside
# the end-to-end run, each on a database and vhost of its own.
benchmarks() {
  step bench:report pnpm bench:report 2000
  step bench:ingest pnpm bench:ingest 500 300 --smoke
  step bench:accept pnpm bench:accept 1 --smoke
  step bench:list pnpm bench:list 2000 10 --smoke
  step bench:email pnpm bench:email 200 --smoke
  step bench:scaling pnpm bench:scaling 300 100 --smoke
  step bench:startup pnpm bench:startup 1
  step bench:capacity pnpm bench:capacity --smoke
}
in_background benchmarks benchmarks
PLAYWRIGHT_JSON_OUTPUT_NAME="$ROOT/.test-output/playwright.json" \
  step playwright pnpm --filter @userstream/web exec playwright test --reporter=list,json
wait_for_background_steps
# The summary (and the exit code: non-zero when any step failed or did not run) comes from
# finish_steps, on exit.
