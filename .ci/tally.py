"""Count nbdev_test's notebooks from its output: `python .ci/tally.py OUT ERR EXIT` prints "RAN FAILED".

Notebooks run in parallel, so two processes' lines can land on one line ("Starting a.ipynbStarting b.ipynb"):
names are matched anywhere in the text, never by counting lines. A notebook fails if nbdev lists it as failed
or if it started and never completed (a crash of the run itself)."""
import os, re, sys

read = lambda path: open(path, errors='replace').read()   # a notebook's output need not be valid UTF-8
out, err, code = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
name = r'(.+?\.ipynb)'   # the shortest run of characters up to .ipynb, spaces in the path allowed
names = lambda pattern, text: {os.path.basename(m) for m in re.findall(pattern + name, text)}  # nbdev lists bare names
started = names('Starting ', out)
completed = names('- Completed ', out)
listed_part = err.split('Failed On The Following Notebooks', 1)[1] if 'Failed On The Following Notebooks' in err else ''
listed = names(r'\t', listed_part)
failed = len(listed | (started - completed))
if code != 0 and failed == 0: failed = 1   # a failure nbdev did not attribute to a notebook still fails
if not started: failed = max(failed, 1)    # nothing ran is a failure, not a pass
print(max(len(started | listed), failed), failed)
