#!/usr/bin/env python3
"""The shape of a lesson, checked: no code cell longer than 60 non-blank lines, no development-process words
in the notebooks' prose, one hypothesis profile (no `deadline=` outside miniai.testing's notebook), and no
module that imports matplotlib.pyplot when it is imported. Standard library only.

usage: python .ci/check_lessons.py [ROOT]   Prints one line per problem and exits 1, or a summary and exits 0.
"""
from __future__ import annotations
import json, re, sys
from pathlib import Path

MAX_LINES = 60
PROCESS_WORDS = re.compile(r'\b(CI|continuous integration|the issue|issue \d+|GitHub Actions)\b')
PROFILE_NB = '02_testing.ipynb'

def problems(root: Path) -> list[str]:
    out = []
    for nb in sorted((root/'nbs').glob('*.ipynb')):
        for i, cell in enumerate(json.loads(nb.read_text())['cells']):
            src = ''.join(cell['source'])
            if cell['cell_type'] == 'code':
                n = sum(1 for l in src.splitlines() if l.strip())
                if n > MAX_LINES: out.append(f'{nb.name} cell {i}: {n} code lines (at most {MAX_LINES})')
                if 'deadline=' in src.replace(' ', '') and nb.name != PROFILE_NB and 'settings(' in src:
                    out.append(f'{nb.name} cell {i}: a hypothesis deadline outside the one profile in {PROFILE_NB}')
            elif m := PROCESS_WORDS.search(src):
                out.append(f'{nb.name} cell {i}: development-process word {m.group(0)!r} in a lesson')
    for mod in sorted((root/'miniai').glob('*.py')):
        top = [l for l in mod.read_text().splitlines() if not l.startswith((' ', '\t'))]
        if any(re.match(r'(import matplotlib\.pyplot|from matplotlib import pyplot)', l) for l in top):
            out.append(f'miniai/{mod.name}: imports matplotlib.pyplot at import time (import it where a plot is drawn)')
    return out

if __name__ == '__main__':
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    found = problems(root)
    for p in found: print(p)
    n = len(list((root/'nbs').glob('*.ipynb')))
    if found: sys.exit(1)
    print(f'check_lessons: {n} notebooks: code cells <= {MAX_LINES} lines, no process words, one hypothesis profile, no pyplot at import')
