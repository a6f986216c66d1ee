#!/usr/bin/env python3
"""The foundations rule, checked: no notebook imports a miniai module that a later notebook exports,
and the package has no import cycle. Standard library only.

usage: python .ci/check_order.py [ROOT]   (ROOT: the repository root; default: the parent of .ci/)
Prints one line per problem and exits 1, or prints a one-line summary and exits 0.
"""
from __future__ import annotations
import ast, configparser, json, re, sys
from pathlib import Path

EXPORT_FLAGS = ('export', 'exporti', 'exports')
DIRECTIVE = re.compile(r'^\s*#\s*\|\s*(\w+)\s*(.*?)\s*$')
# the fallback for cells that are not valid Python (IPython magics, shell escapes)
IMPORT_LINE = re.compile(r'^\s*(?:from\s+(\.*[\w.]*)\s+import\s+([\w\s,()*]+?)|import\s+([\w.,\s]+?))\s*(?:#.*)?$')


def settings(root: Path) -> tuple[Path, Path, str]:
    "The notebook folder, the library folder and the package name, from settings.ini when there is one."
    cfg = configparser.ConfigParser()
    cfg.read(root/'settings.ini')
    d = cfg['DEFAULT'] if cfg.has_section('DEFAULT') or cfg.defaults() else {}
    lib = d.get('lib_path', 'miniai')
    return root/d.get('nbs_path', 'nbs'), root/lib, Path(lib).name


def imports_in(code: str) -> list[tuple[int, str | None, list[str]]]:
    "Every import in `code`, anywhere (functions included), as `(level, module, names)`; `import a.b` gives `(0, 'a.b', [])`."
    try: tree = ast.parse(code)
    except SyntaxError:
        kept = '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in code.splitlines())
        try: tree = ast.parse(kept)
        except SyntaxError: return _imports_by_regex(code)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import): out += [(0, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom): out.append((node.level, node.module, [a.name for a in node.names]))
    return out


def _imports_by_regex(code: str):
    out = []
    for line in code.splitlines():
        m = IMPORT_LINE.match(line)
        if not m: continue
        if m.group(1) is not None:
            mod = m.group(1)
            level = len(mod) - len(mod.lstrip('.'))
            names = [n.split(' as ')[0].strip() for n in m.group(2).strip('() ').split(',') if n.strip()]
            out.append((level, mod.lstrip('.') or None, names))
        else: out += [(0, n.split(' as ')[0].strip(), []) for n in m.group(3).split(',') if n.strip()]
    return out


def resolve(level: int, module: str | None, names: list[str], pkg: str, known: set[str], here: str = '') -> set[str]:
    "The package's modules (names relative to `pkg`, like 'learner') that one import refers to; `here` is the importing module."
    if level:   # relative: from the importing module's package
        base = here.split('.')[:-1]
        if level > 1: base = base[:len(base) - (level - 1)]
        prefix = '.'.join(base + ([module] if module else []))
    elif module == pkg or (module or '').startswith(pkg + '.'): prefix = module[len(pkg) + 1:]
    else: return set()
    found = set()
    if prefix:   # the longest known module that `prefix` names or lies in
        parts = prefix.split('.')
        for i in range(len(parts), 0, -1):
            if '.'.join(parts[:i]) in known: found.add('.'.join(parts[:i])); break
    if names:    # `from pkg import x` / `from . import x`: x may itself be a module
        for n in names:
            full = f'{prefix}.{n}' if prefix else n
            if full in known: found.add(full)
    return found


def notebook_cells(path: Path):
    "(source, directives) for every code cell of the notebook at `path`."
    nb = json.loads(path.read_text(encoding='utf-8'))
    for c in nb.get('cells', []):
        if c.get('cell_type') != 'code': continue
        src = ''.join(c.get('source', []))
        flags = {}
        for line in src.splitlines():
            m = DIRECTIVE.match(line)
            if m: flags[m.group(1)] = m.group(2)
        yield src, flags


def forward_refs(nbs: Path, lib: Path, pkg: str) -> tuple[list[str], int]:
    notebooks = sorted(p for p in nbs.rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts and not p.name.startswith('_'))
    exports, uses = {}, {}
    for nb in notebooks:
        cells = list(notebook_cells(nb))
        exp = next((f['default_exp'].split()[0] for _, f in cells if f.get('default_exp')), None)
        if exp: exports.setdefault(exp, nb)
        uses[nb] = (exp, cells)
    known = set(exports) | {'.'.join(p.relative_to(lib).with_suffix('').parts) for p in lib.rglob('*.py')} if lib.exists() else set(exports)
    order = {nb: i for i, nb in enumerate(notebooks)}
    problems = []
    for nb, (exp, cells) in uses.items():
        seen = set()
        for src, flags in cells:
            exported = any(k in flags for k in EXPORT_FLAGS)
            for level, module, names in imports_in(src):
                if level and not (exported and exp): continue   # a relative import only means something in exported code
                for m in resolve(level, module, names, pkg, known, here=exp or ''):
                    src_nb = exports.get(m)
                    if src_nb is not None and order[src_nb] > order[nb] and m not in seen:
                        seen.add(m)
                        problems.append(f'{nb.relative_to(nbs)} imports {pkg}.{m}, which the later notebook {src_nb.relative_to(nbs)} exports')
    return problems, len(notebooks)


def import_graph(lib: Path, pkg: str) -> dict[str, set[str]]:
    def name(here: str) -> str: return here[:-len('.__init__')] if here.endswith('.__init__') else here
    files = {'.'.join(p.relative_to(lib).with_suffix('').parts): p for p in sorted(lib.rglob('*.py'))}   # 'a.b', 'a.__init__'
    known = {name(h) for h in files}
    graph = {}
    for here, path in files.items():
        mod, deps = name(here), set()
        for level, module, names in imports_in(path.read_text(encoding='utf-8')):
            deps |= resolve(level, module, names, pkg, known, here=here)
        graph[mod] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    "Every elementary cycle, each once: it starts at its smallest module name."
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ()), reverse=True):
                if nxt == start: found.append(path + [start])
                elif nxt > start and nxt not in path: stack.append((nxt, path + [nxt]))
    return sorted(found)


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else Path(__file__).resolve().parent.parent
    nbs, lib, pkg = settings(root)
    if not nbs.is_dir(): print(f'check_order: no notebook folder {nbs}'); return 1
    problems, n_nbs = forward_refs(nbs, lib, pkg)
    graph = import_graph(lib, pkg) if lib.is_dir() else {}
    loops = cycles(graph)
    problems += [' -> '.join(c) for c in loops]
    if problems:
        print('\n'.join(problems))
        return 1
    n_edges = sum(len(v) for v in graph.values())
    print(f'check_order: {n_nbs} notebooks, {len(graph)} modules, {n_edges} imports between them: '
          'no forward references, no import cycles')
    return 0


if __name__ == '__main__': sys.exit(main(sys.argv))
