"""Compiles every C example of docs/API.md, each as a file of its own, with
-std=c11 -pedantic -Wall -Wextra -Werror against the core's headers: a
reference whose examples no longer compile teaches the wrong API.

usage: api_doc_examples.py API.md INCLUDE_DIR COMPILER [ARGS...]"""
import os
import re
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    doc, include, compiler = argv[1], argv[2], argv[3:]
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    blocks = [(text.count("\n", 0, m.start()) + 2, m.group(1))
              for m in re.finditer(r"^```c\n(.*?)^```", text, re.S | re.M)]
    if not blocks:
        sys.exit("%s: no ```c example found" % doc)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for line, code in blocks:
            src = os.path.join(tmp, "example_line_%d.c" % line)
            with open(src, "w", encoding="utf-8") as f:
                f.write(code)
            r = subprocess.run(compiler + ["-std=c11", "-pedantic", "-Wall", "-Wextra",
                                           "-Werror", "-I", include, "-c", src,
                                           "-o", os.path.join(tmp, "example.o")],
                               capture_output=True, text=True)
            if r.returncode != 0:
                failed += 1
                print("%s:%d: the example does not compile:\n%s" % (doc, line, r.stderr))
    print("%d of %d examples of %s compile" % (len(blocks) - failed, len(blocks), doc))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
