"""test_install.py - `make install` puts the package where the system Python
looks (checked against that Python's sys.path), it imports from there and
feeds exectop, and `make uninstall` removes it."""
import os
import subprocess
import sys
import unittest

from support import EXECTOP, ROOT, TempDirCase, report

SYSTEM_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable


class TestInstall(TempDirCase):
    def make(self, target, prefix):
        p = subprocess.run(["make", "--no-print-directory", "-C", ROOT, target,
                            "DESTDIR=" + self.path("stage"), "PREFIX=" + prefix,
                            "PYTHON=" + SYSTEM_PYTHON],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout.decode())
        return p.stdout.decode()

    def test_install_where_the_system_python_finds_it(self):
        out = self.make("install", "/usr/local")
        line = [l for l in out.splitlines()
                if l.startswith("exectop: Python package in ")][0]
        pkgdir = line[len("exectop: Python package in "):]
        sitedir = os.path.dirname(pkgdir)
        path = subprocess.run([SYSTEM_PYTHON, "-c",
                               "import sys; print('\\n'.join(sys.path))"],
                              stdout=subprocess.PIPE, check=True)
        self.assertIn(sitedir, path.stdout.decode().split("\n"))
        staged = self.path("stage") + sitedir
        for mod in ("__init__", "profiler", "sinks", "analysis"):
            self.assertTrue(os.path.exists(os.path.join(staged, "exectop",
                                                        mod + ".py")), mod)
        log = self.path("runs.jsonl")
        code = ("import exectop, sys; p = exectop.ExecutorProfiler(sink=%r);\n"
                "with p.profile_executor('installed'): pass\n"
                "print(exectop.__file__)") % log
        env = dict(os.environ, PYTHONPATH=staged)
        r = subprocess.run([SYSTEM_PYTHON, "-c", code], env=env, cwd=self.dir,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(r.stdout.decode().startswith(staged))
        self.assertEqual(report(log)["total_runs"], 1)
        self.make("uninstall", "/usr/local")
        left = [os.path.join(d, f) for d, _, fs in os.walk(self.path("stage"))
                for f in fs]
        self.assertEqual(left, [])
        self.assertFalse(os.path.exists(os.path.join(staged, "exectop")))


if __name__ == "__main__":
    unittest.main()
