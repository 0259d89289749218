#!/bin/sh
# Applies UserStream to the cluster kubectl points at, step by step as apply-order.txt says: the
# namespace, the broker and the database, then the migrations, waited for, then the services.
# Stops at the first step that fails (e.g. the secret userstream-secrets not made yet).
set -eu
cd "$(dirname "$0")"
grep -v -e '^#' -e '^$' apply-order.txt | while IFS= read -r step; do
  echo "== $step"
  case "$step" in
    kubectl\ *) sh -c "$step" ;;
    *) kubectl apply -f "$step" ;;
  esac
done
