#!/usr/bin/env python3
"""Replays a terminal byte stream (stdin) into pyte and prints the screen as JSON:
{"columns": C, "rows": R, "cells": [[cell, ...], ...], "line_sizes": [...], "overflow": [...]}
where a cell is its character and the right half of a wide character is "". Used by the
end-to-end tests as a terminal emulator that shares no code with kioskd.

pyte itself ignores the DEC line attributes (ESC # 3/4/5/6), so this screen keeps them as
a VT100 does: per row, set on the cursor's row, and reset to single width on every whole
line that ED erases. A double-size row holds half as many glyphs; "overflow" lists the
double-size rows that have anything written past that half, which a terminal would lose."""
import json
import sys

import pyte

SIZES = {"3": "double-height-top", "4": "double-height-bottom", "5": "single", "6": "double-width"}


class LineSizeScreen(pyte.Screen):
    def __init__(self, columns, rows):
        self.line_sizes = ["single"] * rows
        super().__init__(columns, rows)

    def reset(self):
        super().reset()
        self.line_sizes = ["single"] * self.lines

    def set_line_size(self, final):
        self.line_sizes[self.cursor.y] = SIZES[final]

    def erase_in_display(self, how=0, *args, **kwargs):
        super().erase_in_display(how, *args, **kwargs)
        if how == 0:
            erased = range(self.cursor.y + (1 if self.cursor.x else 0), self.lines)
        elif how == 1:
            erased = range(0, self.cursor.y)
        else:
            erased = range(self.lines)
        for y in erased:
            self.line_sizes[y] = "single"


class LineSizeStream(pyte.ByteStream):
    sharp = dict(pyte.ByteStream.sharp)
    sharp.update({final: "line_size_" + final for final in SIZES})


columns, rows = int(sys.argv[1]), int(sys.argv[2])
screen = LineSizeScreen(columns, rows)
for final in SIZES:
    setattr(screen, "line_size_" + final, lambda final=final: screen.set_line_size(final))
stream = LineSizeStream(screen)
stream.feed(sys.stdin.buffer.read())
cells = []
overflow = []
for y in range(rows):
    line = screen.buffer[y]
    row = [line[x].data for x in range(columns)]
    cells.append(row)
    if screen.line_sizes[y] != "single" and any(c not in (" ", "") for c in row[columns // 2:]):
        overflow.append(y)
json.dump({"columns": columns, "rows": rows, "cells": cells, "line_sizes": screen.line_sizes, "overflow": overflow},
          sys.stdout, ensure_ascii=False)
