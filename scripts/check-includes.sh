#!/usr/bin/env bash
# Fails when an #include points up the dependency order or closes a cycle.
#
# The order of the libraries (lowest first); a file may include its own folder and anything
# earlier in this list, nothing later:
#   targets  manifest  signing  cross  builder/tree  builder/pack  builder/inspect  builder/tuf
#   builder/web  builder/release  builder/compat  builder/upstream  builder/cli
# (builder/tuf sees only tree and signing below it; every recipe above calls its refresh hook.)
# manifest and signing never see each other, and cross sees only targets (the whiteboard's nevers).
# Inside a folder, the include graph between its files must have no cycle.
# Usage: scripts/check-includes.sh [root]   (prints every violation, exit 1 if any)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
python3 - <<'PY'
import os, re, sys

order = ["targets", "manifest", "signing", "cross", "builder/tree", "builder/pack",
         "builder/inspect", "builder/tuf", "builder/web", "builder/release", "builder/compat",
         "builder/upstream",
         "builder/cli"]
# Pairs that never meet although the order alone would allow it.
never = {("signing", "manifest"), ("cross", "manifest"), ("cross", "signing")}
rank = {room: i for i, room in enumerate(order)}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

def room_of(path):
    folder = os.path.dirname(path)
    return folder if folder in rank else None

problems = []
graph = {}
sources = []
for top in ("targets", "manifest", "signing", "cross", "builder"):
    for dirpath, _, files in os.walk(top):
        for name in files:
            if name.endswith((".cpp", ".hpp")):
                sources.append(os.path.join(dirpath, name))
for path in sorted(sources):
    room = room_of(path)
    if room is None:
        problems.append(f"{path}: is in no room of the dependency order (scripts/check-includes.sh)")
        continue
    text = open(path, encoding="utf-8").read()
    for target in include.findall(text):
        if target.startswith("tests/"):
            problems.append(f"{path}: includes test code {target}")
            continue
        target_room = room_of(target)
        if target_room is None:
            continue  # a system or third-party header written with quotes
        if rank[target_room] > rank[room]:
            problems.append(f"{path}: includes {target}, which is above {room} ({target_room})")
        elif (room, target_room) in never:
            problems.append(f"{path}: includes {target}: {room} must never see {target_room}")
        if target_room == room and target != path:
            graph.setdefault(path, set()).add(target)

# Cycles inside a folder (between header and source of different units).
def unit(path):
    return os.path.splitext(path)[0]
unit_graph = {}
for src, targets in graph.items():
    for t in targets:
        if unit(t) != unit(src):
            unit_graph.setdefault(unit(src), set()).add(unit(t))
state = {}
def visit(node, stack):
    state[node] = 1
    stack.append(node)
    for nxt in sorted(unit_graph.get(node, ())):
        if state.get(nxt) == 1:
            cycle = stack[stack.index(nxt):] + [nxt]
            problems.append("include cycle: " + " -> ".join(cycle))
        elif nxt not in state:
            visit(nxt, stack)
    stack.pop()
    state[node] = 2
for node in sorted(unit_graph):
    if node not in state:
        visit(node, [])

# Size limits per folder: small rooms a newcomer can read.
for room in order:
    files = [p for p in sources if os.path.dirname(p) == room]
    lines = sum(sum(1 for _ in open(p, encoding="utf-8")) for p in files)
    if len(files) > 30 or lines > 3000:
        problems.append(f"{room}/: {len(files)} files, {lines} lines (limit 30 files, 3000 lines)")

for problem in problems:
    print(problem)
if problems:
    print(f"check-includes: {len(problems)} problem(s)", file=sys.stderr)
    sys.exit(1)
print(f"check-includes: {len(sources)} files, {len(order)} rooms, every include points down")
PY
