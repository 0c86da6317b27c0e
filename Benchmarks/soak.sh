#!/usr/bin/env bash
# A soak of the dashboard as an operator would leave it running: `crashwatch demo --no-loop` at 2,000 lines/s with a
# simulated crash every 10 s, in tmux, for 10 minutes (or $2 seconds). Prints the RSS over time, the crashes written
# against those stored in the history, the lines written, and whether anything crashwatch started is left after `q`.
# Usage: Benchmarks/soak.sh [path/to/crashwatch] [seconds]
set -euo pipefail
bin=$(realpath "${1:-.build/release/crashwatch}")
total=${2:-600}
folder=$(mktemp -d /tmp/crashwatch-soak-XXXXXX)
session=cw-soak-$$
tmux new-session -d -s "$session" -x 160 -y 45 \
    "'$bin' demo --no-loop --rate 2000 --crash-every 10 --folder '$folder'; echo \$? > '$folder/exit-status'; sleep 3600"
pid=""
for _ in $(seq 1 100); do
    pid=$(pgrep -f "demo --no-loop --rate 2000 --crash-every 10 --folder $folder" | head -1 || true)
    [ -n "$pid" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { echo "crashwatch did not start"; tmux kill-session -t "$session"; exit 1; }
echo "soak: crashwatch demo (pid $pid) at 2000 lines/s, a crash every 10 s, for $total s, in $folder"
start=$(date +%s)
ticks_start=$(awk '{print $14 + $15}' "/proc/$pid/stat")
while [ $(( $(date +%s) - start )) -lt "$total" ]; do
    sleep 30
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    echo "  t=$(( $(date +%s) - start ))s  RSS ${rss} KiB  reports written $(ls "$folder/Crashes" 2>/dev/null | grep -c '\.txt$' || true)"
done
ticks_end=$(awk '{print $14 + $15}' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
elapsed=$(( $(date +%s) - start ))
tmux capture-pane -p -t "$session" > "$folder/last-screen.txt"
# Give the inbox the time a last report needs to settle, then quit as a user does.
sleep 3
tmux send-keys -t "$session" q
for _ in $(seq 1 100); do [ -f "$folder/exit-status" ] && break; sleep 0.1; done
written=$(ls "$folder/Crashes" | grep -c '\.txt$' || true)
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from occurrence').fetchone()[0])" "$folder/history.sqlite")
lines=$(cat "$folder"/*.log 2>/dev/null | wc -l)
left=$(pgrep -f "$folder" | grep -v "^$$\$" | xargs -r ps -o pid=,comm= -p | grep -v -E 'tmux|sleep|bash' || true)
echo "  CPU: $(awk -v t=$(( ticks_end - ticks_start )) -v hz="$hz" -v s="$elapsed" 'BEGIN {printf "%.1f %%", 100 * t / hz / s}') of a core on average"
echo "  crash reports written: $written, stored in the history: $stored"
echo "  log lines written: $lines (both logs)"
echo "  exit status after q: $(cat "$folder/exit-status" 2>/dev/null || echo 'none: still running')"
echo "  processes left: ${left:-none}"
tmux kill-session -t "$session" 2>/dev/null || true
