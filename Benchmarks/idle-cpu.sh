#!/usr/bin/env bash
# Idle CPU of the dashboard on quiet logs, next to `tail -F` on the same files, over the same time.
#   Benchmarks/idle-cpu.sh .build/release/crashwatch [seconds]
# Both run in tmux (the dashboard needs a terminal); CPU is utime+stime from /proc/PID/stat over the window.
set -euo pipefail
binary=$(realpath "${1:?usage: idle-cpu.sh CRASHWATCH [seconds]}")
seconds=${2:-60}
work=$(mktemp -d)
trap 'tmux kill-session -t cw-idle 2>/dev/null || true; tmux kill-session -t cw-idle-ref 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/logs" "$work/crashes"
for n in $(seq 1 2000); do echo "2025-10-31_11:14:33 INFO  [server] quiet line $n"; done > "$work/logs/Server.log"
cp "$work/logs/Server.log" "$work/logs/Playerbot.log"
tick=$(getconf CLK_TCK)

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
percent() { python3 -c "print('%.2f' % (($2 - $1) / $tick / $seconds * 100))"; }

tmux new-session -d -s cw-idle -x 160 -y 40 "cd '$work' && '$binary' watch --logs '$work/logs' --crashes '$work/crashes'"
tmux new-session -d -s cw-idle-ref -x 160 -y 40 "tail -F '$work/logs/Server.log' '$work/logs/Playerbot.log'"
pid=""
for _ in $(seq 1 100); do
    pid=$(pgrep -f "^$binary watch --logs $work/logs" || true)
    [ -n "$pid" ] && break
    sleep 0.1
done
ref=$(pgrep -f "^tail -F $work/logs/Server.log")
sleep 5 # start-up reading and indexing settle
a=$(cpu "$pid"); r=$(cpu "$ref")
sleep "$seconds"
b=$(cpu "$pid"); s=$(cpu "$ref")
echo "idle CPU over ${seconds} s on quiet logs, percent of one core (goal ≤ 0.5):"
echo "  crashwatch watch  $(percent "$a" "$b")"
echo "  tail -F           $(percent "$r" "$s")"
