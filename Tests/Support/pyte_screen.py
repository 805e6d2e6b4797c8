#!/usr/bin/env python3
"""Replays a terminal byte stream (stdin) into pyte and prints the screen as JSON:
{"columns": C, "rows": R, "cells": [[cell, ...], ...]} where a cell is its character and
the right half of a wide character is "". Used by the end-to-end tests as a terminal
emulator that shares no code with kioskd."""
import json
import sys

import pyte

columns, rows = int(sys.argv[1]), int(sys.argv[2])
screen = pyte.Screen(columns, rows)
stream = pyte.ByteStream(screen)
stream.feed(sys.stdin.buffer.read())
cells = []
for y in range(rows):
    line = screen.buffer[y]
    cells.append([line[x].data for x in range(columns)])
json.dump({"columns": columns, "rows": rows, "cells": cells}, sys.stdout, ensure_ascii=False)
