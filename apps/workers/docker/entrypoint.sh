#!/bin/sh
# The workers image's entry point: the command names the role. Anything else runs as given.
set -e
case "${1:-}" in
  receiver | sender)
    exec node --import tsx "src/$1/main.ts" ;;
  reporter)
    # A small young generation keeps the reporter's peak memory flat (docs/benchmarks.md).
    exec node --max-semi-space-size=2 --import tsx src/reporter/main.ts ;;
  *)
    exec "$@" ;;
esac
