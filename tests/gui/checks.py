"""One line per check for the GUI smoke test's Python snippets: "ok" or "FAIL" and what
was checked; finish() exits 1 when any check failed."""
import sys

failed = False


def check(cond, what):
    global failed
    print(("ok   " if cond else "FAIL ") + what)
    failed = failed or not cond
    return cond


def finish():
    sys.exit(1 if failed else 0)
