#!/usr/bin/env python3
"""Writes the mixed grouping corpus: every development article in one folder, one gold.

usage: mixed_corpus.py OUT_DIR [--undated K]

The seed articles and the four dev sets named in tests/data/mixed-events/sets.toml are
written to OUT_DIR/import as files the fetcher imports (`fetcher --import OUT_DIR/import`),
and their gold claims to OUT_DIR/gold.json, in the format score_claims.py reads. Gold events
keep their names; the same real event named differently by two sets gets one name (the
aliases in sets.toml). Article ids are already unique across the sets.

--undated K (0, 1 or 2): the articles at positions K, K+3, K+6, ... (sorted by id) lose
their ` date YYYY-MM-DD` first line, as real articles without a publication date do;
--undated all: every article loses it.
Run from the repository root.
"""
import json
import shutil
import sys
import tomllib
from pathlib import Path

SPEC = tomllib.loads(Path('tests/data/mixed-events/sets.toml').read_text())
SETS = SPEC['sets']
SEED_RAW = SPEC['seeds']['raw']
SEED_GOLD = SPEC['seeds']['gold']
ALIASES = SPEC['aliases']


def articles():
    """(id, file name, text) of every article; a seed's date goes back on its first line."""
    out = []
    for path in sorted(Path(SEED_RAW).glob('*.json')):
        raw = json.loads(path.read_text())
        published = raw.get('meta', {}).get('published')
        head = f' date {published[:10]}\n' if published else ''
        out.append((raw['id'], raw['id'] + '.txt', head + raw['body']))
    for folder in SETS:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix in ('.txt', '.html') and path.name != 'README.md':
                out.append((path.stem, path.name, path.read_text()))
    return sorted(out)


def undate(text):
    """The text without its leading ` date YYYY-MM-DD` marker (same line or own line)."""
    first, _, rest = text.partition('\n')
    marker = first.lstrip(' ')
    if not marker.startswith('date ') or not marker[5:15].replace('-', '').isdigit():
        return text
    same_line = marker[15:].strip()
    return same_line + '\n' + rest if same_line else rest.lstrip('\n')


def gold():
    claims, weapons = [], []
    for path in [SEED_GOLD] + [f'{s}/gold.json' for s in SETS]:
        g = json.loads(Path(path).read_text())
        for c in g['claims']:
            c = dict(c)
            c['event'] = ALIASES.get(c['event'], c['event'])
            claims.append(c)
        weapons.extend(g.get('weapons', []))
    return {'schema': 'seed-gold/1',
            'about': 'merged by scripts/mixed_corpus.py from the seed and dev-events gold',
            'claims': claims, 'weapons': weapons}


def main(argv):
    out = Path(argv[0])
    undated = argv[argv.index('--undated') + 1] if '--undated' in argv else None
    folder = out / 'import'
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    dropped = []
    for n, (id_, name, text) in enumerate(articles()):
        if undated == 'all' or (undated is not None and n % 3 == int(undated)):
            new = undate(text)
            if new != text:
                dropped.append(id_)
            text = new
        (folder / name).write_text(text)
    (out / 'gold.json').write_text(json.dumps(gold(), indent=1))
    (out / 'undated.txt').write_text(''.join(f'{d}\n' for d in dropped))


if __name__ == '__main__':
    main(sys.argv[1:])
