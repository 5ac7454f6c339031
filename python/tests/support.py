"""support.py - what the Python tests share: the exectop binary, temp dirs,
running `exectop report` on files or a FIFO and reading its JSON."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))  # python/, for `import exectop`

EXECTOP = os.environ.get("EXECTOP_BIN") or os.path.join(ROOT, "build", "exectop")
os.environ["EXECTOP_BIN"] = EXECTOP


def report(*sources, baseline=None, stdin=None):
    """Runs `exectop report --format json` and returns the parsed report."""
    cmd = [EXECTOP, "report", "--format", "json", "--fail-on", "never"]
    if baseline:
        cmd += ["-b", baseline]
    p = subprocess.run(cmd + list(sources), stdin=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if p.returncode != 0:
        raise AssertionError("exectop report failed: %s" % p.stderr.decode())
    return json.loads(p.stdout)


def executor(rep, executor_id):
    for e in rep["executors"]:
        if e["executor_id"] == executor_id:
            return e
    raise AssertionError("no executor %r in the report" % executor_id)


def read_records(path):
    with open(path, "rb") as f:
        return [json.loads(line) for line in f]


class TempDirCase(unittest.TestCase):
    def setUp(self):
        if not os.access(EXECTOP, os.X_OK):
            self.fail("no exectop binary at %s (run make first)" % EXECTOP)
        self.dir = tempfile.mkdtemp(prefix="exectop-pytest-")
        self.cwd = os.getcwd()

    def tearDown(self):
        os.chdir(self.cwd)
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)
