# Shared by start.sh and test.sh: make sure the pinned pnpm and the locked dependencies are there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

ensure_pnpm() {
  local wanted
  wanted="$(node -p "require('./package.json').packageManager.split('@')[1]")"
  if [ "$(pnpm --version 2>/dev/null || true)" != "$wanted" ]; then
    echo "Installing pnpm $wanted"
    npm install --global "pnpm@$wanted" >/dev/null
  fi
}

ensure_dependencies() {
  # Installing is cheap when nothing changed; the lockfile is the source of truth.
  if [ ! -d node_modules ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
    pnpm install --frozen-lockfile
  fi
}
