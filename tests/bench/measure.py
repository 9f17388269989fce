#!/usr/bin/env python3
"""Small measurements for tests/bench/bench.sh.

    measure.py rss CMD...          run CMD once, print its peak resident memory in MB
    measure.py snap DIR FILE       record every file under DIR (inode, size, mtime)
    measure.py written DIR FILE    files under DIR new or rewritten since `snap`, and removed
    measure.py edit FILE           change one sentence of a Markdown page (a new edit each time)
    measure.py size DIR            bytes and number of files under DIR
"""

import json
import os
import re
import resource
import subprocess
import sys


def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            st = os.lstat(p)
            out[os.path.relpath(p, root)] = [st.st_ino, st.st_size, st.st_mtime_ns]
    return out


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "rss":
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        # ru_maxrss of the largest child waited for, in KB on Linux.
        print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
    elif cmd == "snap":
        with open(args[1], "w") as f:
            json.dump(files(args[0]), f)
    elif cmd == "written":
        before = json.load(open(args[1]))
        after = files(args[0])
        written = sum(1 for p, s in after.items() if before.get(p) != s)
        removed = sum(1 for p in before if p not in after)
        print(written, removed)
    elif cmd == "edit":
        text = open(args[0], encoding="utf-8").read()
        m = re.search(r"Edit number (\d+)\.", text)
        n = int(m.group(1)) + 1 if m else 1
        line = f"Edit number {n}."
        text = text.replace(m.group(0), line) if m else text.rstrip("\n") + f"\n\n{line}\n"
        with open(args[0], "w", encoding="utf-8") as f:
            f.write(text)
    elif cmd == "size":
        fs = files(args[0])
        print(sum(s[1] for s in fs.values()), len(fs))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
