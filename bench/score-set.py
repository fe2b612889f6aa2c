#!/usr/bin/env python3
"""Scores one extractor's outputs on one test set, per part, with the shared scorer.

usage: score-set.py SCORER SET_DIR PRED_DIR [PART...]

SET_DIR holds ground-truth.json and, when it was split (bench/make-set.py), dev.json and
held.json. Each PART (default: every one of those present) is scored with
`SCORER shingles PART.json PRED_DIR`; the line printed per part is
`PART: pages=N P=.. R=.. F1=.. near-empty=N` (near-empty: output under 5 words).
"""
import json, re, subprocess, sys
from pathlib import Path

WORD = re.compile(r"\w+", re.UNICODE)


def near_empty(gold, pred):
    count = 0
    for key in gold:
        p = Path(pred) / f"{key}.txt"
        text = p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""
        count += len(WORD.findall(text)) < 5
    return count


def main(scorer, set_dir, pred, *parts):
    set_dir = Path(set_dir)
    names = {"all": "ground-truth.json", "dev": "dev.json", "held": "held.json"}
    parts = parts or [p for p in names if (set_dir / names[p]).exists()]
    for part in parts:
        gold_path = set_dir / names[part]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out = subprocess.run([sys.executable, scorer, "shingles", str(gold_path), pred],
                             check=True, capture_output=True, text=True).stdout
        last = out.strip().splitlines()[-1].replace("extraction: ", "")
        print(f"{part}: pages={len(gold)} {last} near-empty={near_empty(gold, pred)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
