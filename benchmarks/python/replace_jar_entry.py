"""Rewrites a jar (a zip file) with one entry's bytes replaced by a file's, keeping every other entry as it was.

Usage: replace_jar_entry.py JAR ENTRY FILE. The GPU suite's variants part uses it to put an alternative build of
the kernel library into a copy of the distribution (the GPU host has Python but no Java tools)."""
import os
import shutil
import sys
import zipfile


def main(jar: str, entry: str, path: str) -> None:
    with open(path, "rb") as f:
        data = f.read()
    tmp = jar + ".new"
    found = False
    with zipfile.ZipFile(jar) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == entry:
                found = True
                zout.writestr(item, data)
            else:
                zout.writestr(item, zin.read(item.filename))
    if not found:
        os.remove(tmp)
        sys.exit(f"{jar} has no entry {entry}")
    shutil.move(tmp, jar)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: replace_jar_entry.py JAR ENTRY FILE")
    main(*sys.argv[1:])
