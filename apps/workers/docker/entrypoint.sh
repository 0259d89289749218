#!/bin/sh
# The workers image's entry point: the command names the role (or the dead-letter replay, with its
# arguments), run from its bundle with plain node. Anything else runs as given.
set -e
case "${1:-}" in
  receiver | sender)
    exec node "dist/$1.mjs" ;;
  reporter)
    # A small young generation keeps the reporter's peak memory flat (docs/benchmarks.md).
    exec node --max-semi-space-size=2 dist/reporter.mjs ;;
  replay-dead-letters)
    shift
    exec node dist/replay-dead-letters.mjs "$@" ;;
  *)
    exec "$@" ;;
esac
