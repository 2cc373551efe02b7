"""`.ci/run` tests the checkout it names, whatever the bench's app folder is.

Runs scripts/dev-bench's swap functions (the ones `.ci/run` uses) against a small fake bench with a
real virtualenv, for the three layouts a bench can have: the app folder missing, a symlink (a dev
bench), a plain folder from `bench get-app` holding an older commit. Each must import the checkout's
code while under test and be given back untouched afterwards.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "dev-bench"
APP = "key_account_management"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def run(cmd, **kwargs):
	return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def tree_digest(path: Path) -> str:
	"""Every file's path and content under path (without following links out of it)."""
	digest = hashlib.sha256()
	for root, dirs, files in os.walk(path):
		dirs.sort()
		for name in sorted(files):
			file = Path(root, name)
			digest.update(str(file.relative_to(path)).encode())
			digest.update(file.read_bytes() if not file.is_symlink() else os.readlink(file).encode())
	return digest.hexdigest()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
	"""A clone of this repository with two commits: HEAD (under test) and HEAD~1 (the older one)."""
	base = tmp_path_factory.mktemp("checkout")
	clone = base / "checkout"
	run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)])
	env = dict(
		os.environ,
		GIT_AUTHOR_NAME="t",
		GIT_AUTHOR_EMAIL="t@t",
		GIT_COMMITTER_NAME="t",
		GIT_COMMITTER_EMAIL="t@t",
	)
	run(["git", "-C", str(clone), "commit", "-q", "--allow-empty", "-m", "the commit under test"], env=env)
	return clone


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory):
	env_dir = tmp_path_factory.mktemp("env") / "env"
	run([sys.executable, "-m", "venv", str(env_dir)])
	run([str(env_dir / "bin" / "pip"), "install", "-q", "setuptools>=61,<70", "wheel"])
	return env_dir


def make_bench(tmp_path: Path, bench_env: Path) -> Path:
	bench = tmp_path / "bench"
	(bench / "apps").mkdir(parents=True)
	(bench / "config" / "pids").mkdir(parents=True)
	(bench / "env").symlink_to(bench_env)
	return bench


def swap(bench: Path, checkout: Path, action: str) -> subprocess.CompletedProcess:
	script = f'source "{SCRIPT}"; {action}'
	return subprocess.run(
		["bash", "-c", script],
		env=dict(os.environ, KAM_BENCH_DIR=str(bench), TMPDIR=str(bench.parent), KAM_PIP_NO_DEPS="1"),
		capture_output=True,
		text=True,
	)


def imported_from(bench: Path) -> str:
	code = f"import os, {APP}; print(os.path.dirname(os.path.dirname(os.path.realpath({APP}.__file__))))"
	return run([str(bench / "env" / "bin" / "python"), "-c", code], cwd="/").stdout.strip()


@pytest.mark.parametrize("layout", ["missing", "symlink", "folder"])
def test_checkout_is_tested_and_the_bench_given_back(layout, tmp_path, checkout, bench_env):
	bench = make_bench(tmp_path, bench_env)
	target = bench / "apps" / APP
	older = tmp_path / "older"
	run(["git", "clone", "-q", str(checkout), str(older)])
	run(["git", "-C", str(older), "checkout", "-q", "HEAD~1"])
	if layout == "symlink":
		target.symlink_to(older)
	elif layout == "folder":
		shutil.copytree(older, target, symlinks=True)
	if layout != "missing":
		run(
			[
				str(bench / "env" / "bin" / "pip"),
				"install",
				"-q",
				"--no-deps",
				"--no-build-isolation",
				"-e",
				str(target),
			]
		)
		assert imported_from(bench) == str(target.resolve())
		before = tree_digest(target.resolve())

	result = swap(bench, checkout, f'swap_in "{checkout}" && prove_checkout "{checkout}"')
	assert result.returncode == 0, result.stderr
	head = run(["git", "-C", str(checkout), "rev-parse", "HEAD"]).stdout.strip()
	assert result.stdout.strip().splitlines()[-1] == head
	assert imported_from(bench) == str(checkout.resolve())

	result = swap(bench, checkout, "swap_out")
	assert result.returncode == 0, result.stderr
	assert not (bench / "apps" / f".{APP}.kept").exists()
	if layout == "missing":
		assert not target.exists() and not target.is_symlink()
	else:
		assert target.is_symlink() == (layout == "symlink")
		assert tree_digest(target.resolve()) == before  # nothing was written into it
		assert imported_from(bench) == str(target.resolve())


def test_refuses_when_the_bench_would_run_other_code(tmp_path, checkout, bench_env):
	bench = make_bench(tmp_path, bench_env)
	other = tmp_path / "other"
	run(["git", "clone", "-q", str(checkout), str(other)])
	run(
		[
			str(bench / "env" / "bin" / "pip"),
			"install",
			"-q",
			"--no-deps",
			"--no-build-isolation",
			"-e",
			str(other),
		]
	)
	result = swap(bench, checkout, f'prove_checkout "{checkout}"')
	assert result.returncode != 0
	assert "not from the checkout" in result.stderr
