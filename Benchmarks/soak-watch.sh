#!/usr/bin/env bash
# The same soak on `crashwatch watch` with an outside writer, so that lines lost can be counted exactly: 2,000 lines/s
# into Server.log and Playerbot.log (TrinityCore's format) and a crash report every 10 s, for 10 minutes (or $2
# seconds); then the writer stops and the panes' line counts are compared with the files'.
# Usage: Benchmarks/soak-watch.sh [path/to/crashwatch] [seconds]
set -euo pipefail
bin=$(realpath "${1:-.build/release/crashwatch}")
total=${2:-600}
folder=$(mktemp -d /tmp/crashwatch-soak-watch-XXXXXX)
mkdir -p "$folder/Crashes"
: > "$folder/Server.log"
: > "$folder/Playerbot.log"
session=cw-soakw-$$
tmux new-session -d -s "$session" -x 160 -y 45 \
    "'$bin' watch --logs '$folder' --crashes '$folder/Crashes' --history '$folder/history.sqlite'; echo \$? > '$folder/exit-status'; sleep 3600"
sleep 2
pid=$(pgrep -f "watch --logs $folder" | head -1)
echo "soak (watch): crashwatch pid $pid, 2000 lines/s and a crash every 10 s for $total s, in $folder"
python3 - "$folder" "$total" <<'PY' &
import os, random, sys, time
folder, total = sys.argv[1], float(sys.argv[2])
server = open(os.path.join(folder, "Server.log"), "a")
bots = open(os.path.join(folder, "Playerbot.log"), "a")
random.seed(7)
start = time.time()
written = 0
crash = 0
next_crash = start + 10
while time.time() - start < total:
    stamp = time.strftime("%Y-%m-%d_%H:%M:%S")
    for _ in range(20):
        n = random.randint(1, 99999)
        server.write(f"{stamp} ERROR [sql.sql] Table `creature` has creature (GUID: {n}) with non existing creature entry {n % 6000}, skipped.\n")
        bots.write(f"{stamp} Bot{n % 40}: attack Kobold Vermin {n}\n")
    server.flush(); bots.flush()
    written += 40
    if time.time() >= next_crash:
        crash += 1
        text = f"Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x1 in Soak::Function{crash % 7} () at Soak.cpp:{crash}\n#1  0x2 in World::Update (diff=50) at World.cpp:1\n"
        with open(os.path.join(folder, "Crashes", f".crash-{crash}.tmp"), "w") as f: f.write(text)
        os.rename(os.path.join(folder, "Crashes", f".crash-{crash}.tmp"), os.path.join(folder, "Crashes", f"gdb-{crash}.txt"))
        next_crash += 10
    # 40 lines per 20 ms: 2,000 lines/s.
    time.sleep(max(0, start + written / 2000 - time.time()))
PY
writer=$!
start=$(date +%s)
ticks_start=$(awk '{print $14 + $15}' "/proc/$pid/stat")
rss_start=""
while kill -0 "$writer" 2>/dev/null; do
    sleep 30
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    rss_start=${rss_start:-$rss}
    echo "  t=$(( $(date +%s) - start ))s  RSS ${rss} KiB"
done
ticks_end=$(awk '{print $14 + $15}' "/proc/$pid/stat")
elapsed=$(( $(date +%s) - start ))
rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
sleep 5
tmux capture-pane -p -t "$session" > "$folder/last-screen.txt"
count() { grep -o "$1 │ [A-Z]* │ [0-9,]* lines" "$folder/last-screen.txt" | grep -o '[0-9,]* lines' | tr -d ', lines'; }
shown_server=$(count "Server.log"); shown_bots=$(count "Playerbot.log")
tmux send-keys -t "$session" q
for _ in $(seq 1 100); do [ -f "$folder/exit-status" ] && break; sleep 0.1; done
written=$(ls "$folder/Crashes" | grep -c '\.txt$' || true)
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from occurrence').fetchone()[0])" "$folder/history.sqlite")
file_server=$(wc -l < "$folder/Server.log"); file_bots=$(wc -l < "$folder/Playerbot.log")
left=$(pgrep -f "$folder" | xargs -r ps -o pid=,comm= -p | grep -v -E 'tmux|sleep|bash' || true)
echo "  RSS first sample ${rss_start} KiB, at the end ${rss_end} KiB"
echo "  CPU: $(awk -v t=$(( ticks_end - ticks_start )) -v hz="$(getconf CLK_TCK)" -v s="$elapsed" 'BEGIN {printf "%.1f %%", 100 * t / hz / s}') of a core"
echo "  Server.log: $file_server lines written, $shown_server shown → lost $(( file_server - shown_server ))"
echo "  Playerbot.log: $file_bots lines written, $shown_bots shown → lost $(( file_bots - shown_bots ))"
echo "  crash reports written: $written, stored in the history: $stored"
echo "  exit status after q: $(cat "$folder/exit-status" 2>/dev/null || echo 'none: still running'); processes left: ${left:-none}"
tmux kill-session -t "$session" 2>/dev/null || true
