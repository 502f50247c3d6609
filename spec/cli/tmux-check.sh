#!/usr/bin/env bash
# Manual terminal check of the `hmb` command (not part of `npm test`): runs it inside tmux, so its
# stdout and stderr are real terminals, and prints what the panes show, escape codes included
# (`tmux capture-pane -p -e`), then without them. It checks by eye what no piped test can: the
# progress bar of `hmb replay`, the coloured message lines, the tables, and NO_COLOR.
#
#   spec/cli/tmux-check.sh            # needs tmux (apt-get install -y tmux) and a built CLI
#   spec/cli/tmux-check.sh > out.txt  # e.g. to paste into docs/cli.md
set -euo pipefail

cd "$(dirname "$0")/../.."
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install -y tmux)" >&2; exit 1; }
[ -f dist/cli/main.cjs ] || npx tsup --config spec/cli/helpers/tsup.cli.config.ts >/dev/null

HMB="node $PWD/dist/cli/main.cjs"
SESSION="hmb-check-$$"
WORK="$(mktemp -d)"
SERVE_PID=""
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  [ -n "$SERVE_PID" ] && kill -INT "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A bus with 3000 timed alerts in three regions.
$HMB serve --port 0 >"$WORK/url" 2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 50); do [ -s "$WORK/url" ] && break; sleep 0.1; done
BUS="$(head -1 "$WORK/url")/demo"
node -e '
  const regions = ["EUROPE", "ASIA", "AMERICA"];
  for (let i = 0; i < 3000; i++) {
    const start = new Date(Date.UTC(2026, 10, 24, 6, 0, i));
    const end = new Date(start.getTime() + 10_000);
    const region = regions[i % 3];
    console.log(JSON.stringify({ type: "ALERT", queue: "ALERTS", topic: region,
      starttime: start.toISOString(), endtime: end.toISOString(),
      data: { magnitude: Math.round(30 + (i % 40)) / 10, region } }));
  }' | $HMB send "$BUS" --cid demo-feed 2>/dev/null
node -e 'for (let i = 0; i < 50000; i++) console.log(JSON.stringify({ type: "T", queue: "BULK", data: { i } }))' |
  $HMB send "$BUS" 2>/dev/null

tmux new-session -d -s "$SESSION" -x 110 -y 16 "env -u NO_COLOR PS1='$ ' bash --norc --noprofile"
# The pane knows `hmb`, $BUS and $OUT, so the commands read as a user would type them.
tmux send-keys -t "$SESSION" "hmb() { node '$PWD/dist/cli/main.cjs' \"\$@\"; }; BUS='$BUS'; OUT='$WORK'" Enter
run() { # run a command in the pane, wait, capture with and without escape codes
  local title="$1" command="$2" wait="$3"
  tmux send-keys -t "$SESSION" "clear" Enter
  sleep 0.3
  tmux send-keys -t "$SESSION" "$command" Enter
  sleep "$wait"
  echo "===== $title"
  echo "----- with escape codes (ESC shown as \\e)"
  tmux capture-pane -t "$SESSION" -p -e | sed -e 's/\x1b/\\e/g' | trim
  echo "----- as seen"
  tmux capture-pane -t "$SESSION" -p | trim
  echo
}
trim() { sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; } # drop the empty lines at the end

run "replay to a file: progress bar on the terminal" \
  'hmb replay $BUS -q ALERTS --from 0 --to 2999 > $OUT/window.jsonl' 3
echo "(window.jsonl holds $(wc -l < "$WORK/window.jsonl") lines)"
echo
# A window large enough to take a few seconds, captured while it runs: the bar part way.
run "replay of 50000 messages, captured while it runs" \
  'hmb replay $BUS -q BULK > $OUT/bulk.jsonl' 1.6
sleep 6
echo "(bulk.jsonl holds $(wc -l < "$WORK/bulk.jsonl") lines)"
echo
run "replay to the terminal: coloured lines, then the bar" \
  'hmb replay $BUS -q ALERTS --from 2994 --to 2999' 2.5
run "replay by time, to the terminal" \
  'hmb replay $BUS -q ALERTS --from 2026-11-24T06:49:50Z --to 2026-11-24T06:49:52Z -t "EU*"' 2.5
run "NO_COLOR" 'NO_COLOR=1 hmb replay $BUS -q ALERTS --from 2998 --to 2999' 2.5
run "info" 'hmb info $BUS' 2
run "features" 'hmb features $BUS' 2
run "tail, then Ctrl-C" 'hmb tail $BUS -q ALERTS --seq -3' 2.5
tmux send-keys -t "$SESSION" C-c
sleep 0.5
echo "----- after Ctrl-C"
tmux send-keys -t "$SESSION" 'echo "exit code $?"' Enter
sleep 0.3
tmux capture-pane -t "$SESSION" -p | trim | tail -4
