#!/usr/bin/env python3
"""Reads the server's log of a whole browser-test run (`--log-format json`) and fails when a
line is not a JSON object, or when a patient's callback phone or note, as the demo data and the
browser tests enter them, appears in it. Usage: check-logs.py LOG"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "server/src/seed.rs", ROOT / "server/src/demo_history.rs", *sorted((ROOT / "end2end/tests").glob("*.ts"))]
PHONE = re.compile(r"(?:\+33 ?|0)[1-9](?: ?\d\d){4}")
NOTE = re.compile(r'note: "([^"]{12,})"')


def significant(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-9:]


def phone_pattern(nine: str) -> re.Pattern:
    # The number however it is written: +33 or 0 first, spaces, dots or dashes between pairs.
    sep = r"[ .\-]?"
    pairs = [nine[0]] + [nine[i:i + 2] for i in range(1, 9, 2)]
    return re.compile(r"(?:\+33|0033|0)" + sep + sep.join(pairs))


def main() -> int:
    log = pathlib.Path(sys.argv[1])
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    phones, notes = set(), set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        phones.update(significant(p) for p in PHONE.findall(text))
        notes.update(NOTE.findall(text))
    problems = []
    if not phones or not notes:
        problems.append("no phone or note found in the sources to look for: the check would prove nothing")
    if len(lines) < 5:
        problems.append(f"only {len(lines)} lines: was the server's log written there?")
    for number, line in enumerate(lines, 1):
        try:
            if not isinstance(json.loads(line), dict):
                raise ValueError
        except ValueError:
            problems.append(f"line {number} is not a JSON object: {line[:120]}")
        for nine in phones:
            if phone_pattern(nine).search(line):
                problems.append(f"line {number} holds a patient's phone (…{nine[-4:]})")
        for note in notes:
            if note in line:
                problems.append(f"line {number} holds a patient's note")
    print(f"{log}: {len(lines)} lines, {len(phones)} phones and {len(notes)} notes looked for")
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
