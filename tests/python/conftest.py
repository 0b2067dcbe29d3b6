"""Shared set-up of the Python tests: the repository, the command built
beside the library (ERRATA_CLI to use another), one engine."""
import os
import pathlib
import subprocess

import pytest

import errata

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli() -> str:
    return os.environ.get("ERRATA_CLI", str(ROOT / "build" / "errata"))


@pytest.fixture(scope="session")
def run_cli(cli):
    def run(*args: str, input: bytes = None) -> bytes:
        return subprocess.run([cli, *args], input=input, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=False).stdout
    return run


@pytest.fixture(scope="session")
def engine() -> errata.Engine:
    return errata.Engine()
