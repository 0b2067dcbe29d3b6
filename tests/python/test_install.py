"""make install puts the package where python3 finds it, using the library
installed beside it (only the package is installed here: the rest of make
install is tested by tests/cli/embed.sh)."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def test_installed_package_finds_the_installed_library(tmp_path):
    prefix = tmp_path / "prefix"
    build = os.environ.get("ERRATA_BUILD", "build")
    subprocess.run(["make", "-s", "install-python", f"PREFIX={prefix}", f"BUILD={build}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    (prefix / "lib" / "liberrata.so.0").symlink_to(ROOT / build / "liberrata.so")
    version = "%d.%d" % sys.version_info[:2]
    env = {k: v for k, v in os.environ.items() if k not in ("ERRATA_LIBRARY", "PYTHONPATH")}
    env["PYTHONPATH"] = str(prefix / "lib" / f"python{version}" / "dist-packages")
    probe = ("import errata, errata._native as n; "
             "print(n._library_path()); print(errata.Engine().fix('坚持原那么'))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    assert out == f"{prefix}/lib/liberrata.so.0\n坚持原则\n"
    subprocess.run(["make", "-s", "uninstall", f"PREFIX={prefix}", f"BUILD={build}"], cwd=ROOT,
                   check=True)
    assert not (prefix / "lib" / f"python{version}" / "dist-packages" / "errata").exists()


def test_checkout_finds_its_build_without_errata_library(tmp_path):
    if not (ROOT / "build" / "liberrata.so").is_file():
        pytest.skip("built elsewhere (BUILD=...): ERRATA_LIBRARY is the way then")
    env = {k: v for k, v in os.environ.items() if k != "ERRATA_LIBRARY"}
    env["PYTHONPATH"] = str(ROOT / "python")
    out = subprocess.run([sys.executable, "-c", "import errata._native as n; print(n._library_path())"],
                         cwd=tmp_path, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    assert out == f"{ROOT}/build/liberrata.so\n"
