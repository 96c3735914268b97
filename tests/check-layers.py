#!/usr/bin/python3
"""The layers of src/core stay layers: a file includes headers of its own layer or of the
layers below it (the order of core_layers in src/core/meson.build), never above. The window and
the command line use core's public headers only: no *-private.h, no SQLite."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
core = os.path.join(root, "src", "core")
meson = open(os.path.join(core, "meson.build"), encoding="utf-8").read()
layers = re.findall(r"'([a-z]+)'", re.search(r"core_layers = \[([^\]]*)\]", meson).group(1))

home = {}  # header name -> layer
for layer in layers:
    for name in os.listdir(os.path.join(core, layer)):
        if name.endswith(".h"):
            home[name] = layer
for name in os.listdir(core):
    if name.endswith(".h"):
        home[name] = None  # the umbrella at-core.h: for the GUI and CLI only

include = re.compile(r'^\s*#\s*include\s+"(at-[a-z0-9-]+\.h)"', re.M)
problems = []
for layer in layers:
    for name in sorted(os.listdir(os.path.join(core, layer))):
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(layer, name)
        text = open(os.path.join(core, path), encoding="utf-8").read()
        for header in include.findall(text):
            if header == "at-catalog-resources.h":
                continue  # generated from templates/ by the build
            if header not in home:
                problems.append(f"src/core/{path}: includes {header}, which no layer has")
            elif home[header] is None:
                problems.append(f"src/core/{path}: includes the umbrella {header}")
            elif layers.index(home[header]) > layers.index(layer):
                problems.append(f"src/core/{path}: layer '{layer}' includes {header} from the higher layer '{home[header]}'")

for front in ("gui", "cli"):
    folder = os.path.join(root, "src", front)
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".c", ".h")):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        for header in include.findall(text):
            if header.endswith("-private.h") and home.get(header, "x") is not None and header in home:
                problems.append(f"src/{front}/{name}: includes core's private {header}")
        if re.search(r'#\s*include\s+<sqlite3\.h>', text):
            problems.append(f"src/{front}/{name}: includes sqlite3.h; only core touches the store")

for p in problems:
    print(p)
print(f"{len(layers)} layers ({' < '.join(layers)}), {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
