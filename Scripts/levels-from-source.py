#!/usr/bin/env python3
"""Writes a level-rules file (Rules/levels-*.txt) from the log calls of a TrinityCore-shaped C++ tree.

Every `TC_LOG_<LEVEL>(logger, "format", ...)` (TrinityCore) and `LOG_<LEVEL>(logger, "format", ...)` (AzerothCore and
its modules) becomes one rule: the level, the message shape (the format string with each placeholder as `{}`), and an
example made by filling the placeholders in. The message text is a fact of the server's output, so a line of an
unprefixed Server.log that has this shape was written at this level.

    Scripts/levels-from-source.py TREE --name "TrinityCore 3.3.5 (commit 746e2ef)" > Rules/levels-trinitycore.txt

Shapes written at two levels, and shapes with too little fixed text to say anything (`"%s"`, `"%s: %u"`), are left
out and counted on stderr.
"""

import argparse
import os
import re
import sys

CALL = re.compile(r"\b(?:TC_)?LOG_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s*\(")
PRINTF = re.compile(r"%(?:%|[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t|I64|I32)?[diouxXeEfgGcspn])")
FMT = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
EXTENSIONS = (".cpp", ".h", ".hpp", ".cc", ".inl")
LEVEL_NAMES = {"TRACE": "trace", "DEBUG": "debug", "INFO": "info", "WARN": "warn", "ERROR": "error", "FATAL": "fatal"}
# Fill-ins for the examples, by printf conversion.
SAMPLES = {"s": "Thrall", "f": "1.5", "e": "1.5", "g": "1.5", "c": "x", "p": "0x7f3a2c"}


def skip_space(text, i):
    """Skips whitespace and comments."""
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text.startswith("\\\n", i):
            i += 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i)
            i = len(text) if j < 0 else j + 2
        else:
            break
    return i


def string_literal(text, i):
    """The C string literal at `i` (after an optional u8/L prefix), unescaped, and the index after it."""
    if text.startswith("u8\"", i):
        i += 2
    elif text.startswith("L\"", i):
        i += 1
    if i >= len(text) or text[i] != '"':
        return None, i
    i += 1
    out = []
    while i < len(text) and text[i] != '"':
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            e = text[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "", "0": "", '"': '"', "\\": "\\", "'": "'"}.get(e, e))
            i += 2
            continue
        if c == "\n":
            return None, i
        out.append(c)
        i += 1
    return "".join(out), i + 1


def format_argument(text, i):
    """The concatenated format string starting at `i`: literals, and macros between them (SZFMTD, UI64FMTD) as
    placeholders. None when the argument is not a literal."""
    parts = []
    while True:
        i = skip_space(text, i)
        literal, j = string_literal(text, i)
        if literal is not None:
            parts.append(("text", literal))
            i = j
            continue
        m = re.match(r"[A-Z][A-Z0-9_]*FMT[A-Z0-9_]*|PRI[diuxX](?:8|16|32|64)", text[i:])
        if m and parts:
            parts.append(("hole", "42"))
            i += m.end()
            continue
        break
    if not parts or text[i : i + 1] not in (",", ")"):
        return None
    return parts


def shape_and_example(parts):
    """The rule's shape (placeholders as `{}`, literal braces doubled) and a filled-in example."""
    shape, example = [], []
    for kind, value in parts:
        if kind == "hole":
            shape.append("{}")
            example.append(value)
            continue
        uses_fmt = bool(re.search(r"\{\}|\{:[^}]*\}|\{\d+\}", value)) and not PRINTF.search(value)
        pos = 0
        pattern = FMT if uses_fmt else PRINTF
        for m in pattern.finditer(value):
            literal = value[pos : m.start()]
            shape.append(literal.replace("{", "{{").replace("}", "}}"))
            example.append(literal)
            token = m.group(0)
            if token in ("%%",):
                shape.append("%")
                example.append("%")
            elif token == "{{":
                shape.append("{{")
                example.append("{")
            elif token == "}}":
                shape.append("}}")
                example.append("}")
            else:
                shape.append("{}")
                example.append(SAMPLES.get(token[-1], "42") if not uses_fmt else "42")
            pos = m.end()
        literal = value[pos:]
        shape.append(literal.replace("{", "{{").replace("}", "}}"))
        example.append(literal)
    shape, example = "".join(shape), "".join(example)
    # A message with a line break shows as its first line; the rest is continuation.
    return shape.split("\n")[0].strip(), example.split("\n")[0].strip()


def fixed_letters(shape):
    return sum(c.isalnum() for c in re.sub(r"\{\}", "", shape))


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("tree", help="the source tree (its src/ folder is enough)")
    arguments.add_argument("--name", required=True, help="what the header says the rules come from")
    arguments.add_argument("--minimum-letters", type=int, default=12, help="fixed letters a shape needs")
    arguments.add_argument(
        "--sample", action="store_true",
        help="print a labelled sample instead (`level<TAB>example`, one per shape written at one level; TRACE and "
        "DEBUG as written), for `crashwatch bench levels`")
    options = arguments.parse_args()

    levels = {}
    calls = 0
    for folder, _, files in os.walk(options.tree):
        for name in sorted(files):
            if not name.endswith(EXTENSIONS):
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            for m in CALL.finditer(text):
                i = skip_space(text, m.end())
                # The logger: a literal or an expression up to the first comma.
                literal, j = string_literal(text, i)
                if literal is None:
                    j = text.find(",", i)
                    if j < 0:
                        continue
                i = skip_space(text, j)
                if text[i : i + 1] != ",":
                    continue
                parts = format_argument(text, i + 1)
                if parts is None:
                    continue
                calls += 1
                shape, example = shape_and_example(parts)
                if not shape or " | " in shape or " | " in example:
                    continue
                levels.setdefault(shape, {}).setdefault(LEVEL_NAMES[m.group(1)], example)

    ambiguous = [s for s, found in levels.items() if len(found) > 1]
    if options.sample:
        print(f"# Labelled sample from the log calls of {options.name} (Scripts/levels-from-source.py --sample).")
        for shape, found in sorted(levels.items()):
            if len(found) == 1:
                level, example = next(iter(found.items()))
                print(f"{level}\t{example}")
        return
    vague = [s for s, found in levels.items() if len(found) == 1 and fixed_letters(s) < options.minimum_letters]
    kept = sorted(
        ((next(iter(found)), shape, next(iter(found.values())))
         for shape, found in levels.items() if len(found) == 1 and fixed_letters(shape) >= options.minimum_letters),
        key=lambda rule: (list(LEVEL_NAMES.values()).index(rule[0]) * -1, rule[1].lower()))
    print(f"# Levels of unprefixed lines, from the log calls of {options.name}.")
    print("# Made by Scripts/levels-from-source.py; edit Rules/levels.txt (or your own file in")
    print("# ~/.config/crashwatch/rules/) rather than this one. One rule per line: `level | shape | example`.")
    print(f"# {calls} log calls read; {len(kept)} shapes kept, {len(ambiguous)} written at two levels and")
    print(f"# {len(vague)} with under {options.minimum_letters} fixed letters left out.")
    for level, shape, example in kept:
        print(f"{level} | {shape} | {example}")
    print(f"{calls} calls, {len(kept)} rules, {len(ambiguous)} ambiguous, {len(vague)} vague", file=sys.stderr)


if __name__ == "__main__":
    main()
