#!/usr/bin/env bash
# `npm test`: install what is missing, build, then run every test: unit and integration (Vitest,
# against the real PostgreSQL and RabbitMQ), end-to-end (Playwright in Chromium) and the chaos
# suite (its own PostgreSQL cluster and RabbitMQ node, faults injected; see docs/reliability.md).
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_dependencies
node scripts/preflight.mjs test

mkdir -p .test-output
rm -f .test-output/*.json
pnpm build
pnpm turbo typecheck lint

status=0
pnpm vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json || status=1
# A small run of each benchmark keeps them working; their figures come from `pnpm bench`.
pnpm bench:report 2000 || status=1
pnpm bench:ingest 500 300 --smoke || status=1
pnpm bench:accept 1 --smoke || status=1
pnpm bench:list 2000 10 --smoke || status=1
pnpm bench:email 200 --smoke || status=1
pnpm bench:scaling 300 100 --smoke || status=1
PLAYWRIGHT_JSON_OUTPUT_NAME="$ROOT/.test-output/playwright.json" \
  pnpm --filter @userstream/web exec playwright test --reporter=list,json || status=1

pnpm --filter @userstream/workers test:chaos --reporter=default --reporter=json \
  --outputFile.json="$ROOT/.test-output/chaos.json" || status=1

node scripts/test-summary.mjs .test-output/vitest.json .test-output/playwright.json .test-output/chaos.json || status=1
exit $status
