# Steps of `npm test` (sourced by test.sh). Each step's start, exit code and time go to a record
# file; on exit, whatever ended the run (a failed build, a signal, the last step), the record's
# summary is printed (scripts/test-summary.mjs): a step that failed, was interrupted or never ran
# is counted, so the closing line cannot read "0 failed" on a failing run.

STEP_RECORD="${STEP_RECORD:-.test-output/steps.tsv}"
STEP_PID=""
BACKGROUND_PIDS=()
BACKGROUND_NAMES=()
AT_EXIT=()

# plan_steps NAME[=REPORT]...: every step the run means to take, in order; REPORT is the JSON
# report the step's test runner writes (its tests are counted instead of the step).
plan_steps() {
  mkdir -p "$(dirname "$STEP_RECORD")"
  : >"$STEP_RECORD"
  local spec report
  for spec in "$@"; do
    report=""
    [[ $spec == *=* ]] && report="${spec#*=}"
    printf 'planned\t%s\t%s\n' "${spec%%=*}" "$report" >>"$STEP_RECORD"
  done
  trap finish_steps EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# at_exit COMMAND...: runs COMMAND when the run ends, before the summary (e.g. dropping what the run made).
at_exit() {
  AT_EXIT+=("$(printf '%q ' "$@")")
}

# step NAME COMMAND...: runs a planned step and records how it ended. Never stops the run by itself.
step() {
  local name=$1 started=$SECONDS code=0
  shift
  printf 'started\t%s\n' "$name" >>"$STEP_RECORD"
  if [ "$(type -t "$1")" = function ]; then
    # A function of the calling script (it may export what the next steps need): run in this shell.
    "$@" || code=$?
  else
    # A program: waited on with `wait`, which a signal interrupts (a foreground program would hold
    # the trap back until it ended), so that finish_steps can stop it.
    ("$@") &
    STEP_PID=$!
    wait "$STEP_PID" || code=$?
    STEP_PID=""
  fi
  printf 'ended\t%s\t%s\t%s\n' "$name" "$code" "$((SECONDS - started))" >>"$STEP_RECORD"
}

# in_background NAME COMMAND...: runs COMMAND (a `step`, or a function of several) beside the steps
# that follow. Its output goes to .test-output/NAME.log and is printed in one piece when
# wait_for_background_steps collects it.
in_background() {
  local name=$1
  shift
  echo "==> $name: started in the background (output in $(step_log "$name"))"
  ("$@") >"$(step_log "$name")" 2>&1 &
  BACKGROUND_PIDS+=("$!")
  BACKGROUND_NAMES+=("$name")
}

step_log() {
  echo "$(dirname "$STEP_RECORD")/${1//[^A-Za-z0-9_-]/-}.log"
}

wait_for_background_steps() {
  local i
  for i in "${!BACKGROUND_PIDS[@]}"; do
    wait "${BACKGROUND_PIDS[$i]}" || true
    echo "==> ${BACKGROUND_NAMES[$i]} (ran in the background):"
    cat "$(step_log "${BACKGROUND_NAMES[$i]}")"
  done
  BACKGROUND_PIDS=()
  BACKGROUND_NAMES=()
}

# stop_if_a_step_failed: ends the run here (the summary counts the steps left as not run) if a
# step so far exited non-zero.
stop_if_a_step_failed() {
  if awk -F '\t' '$1 == "ended" && $3 != 0 { failed = 1 } END { exit !failed }' "$STEP_RECORD"; then
    echo "==> stopping: a step failed (the next steps need it)" >&2
    exit 1
  fi
}

# Stops a process and everything it started (a background step's runner and its servers). The
# process goes first, so that a step's runner is stopped before it could record its program's exit
# as the step's end: the step reads "interrupted".
kill_tree() {
  local child children
  children="$(ps -o pid= --ppid "$1" 2>/dev/null || true)"
  kill "$1" 2>/dev/null || true
  for child in $children; do kill_tree "$child"; done
}

finish_steps() {
  local code=$? command pid
  trap - EXIT INT TERM
  for pid in $STEP_PID "${BACKGROUND_PIDS[@]}"; do kill_tree "$pid"; done
  for command in "${AT_EXIT[@]}"; do eval "$command" || true; done
  node "$(dirname "${BASH_SOURCE[0]}")/test-summary.mjs" "$STEP_RECORD" || { [ "$code" -ne 0 ] || code=1; }
  exit "$code"
}
