"""`scripts/dev-bench test` sums up each suite with its own count, and a suite that ran nothing fails.

The summary quotes pytest's closing line ("340 passed in 35.21s"), run-tests' "Ran N tests in Xs" with
the verdict under it, and the browser suite's "N passed, M skipped". These tests source the script and
feed its functions the output of each runner: one suite's line at a time (``suite_status``), then the
whole ``cmd_test`` with the three suites replaced by stubs that print what the real runners print.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "dev-bench"

RUN_TESTS_OK = """Running "before_tests" hooks
...
----------------------------------------------------------------------
Ran 295 tests in 1042.123s

OK
"""


def bash(script: str, tmp_path: Path, **env) -> subprocess.CompletedProcess:
	# the script's own settings left out: these tests also run inside `dev-bench test`, which may have
	# set SKIP_BENCH_REASON or KAM_* for its own run
	clean = {k: v for k, v in os.environ.items() if k != "SKIP_BENCH_REASON" and not k.startswith("KAM_")}
	return subprocess.run(
		["bash", "-c", f'source "{SCRIPT}"; {script}'],
		env=dict(clean, TMPDIR=str(tmp_path), KAM_BENCH_DIR=str(tmp_path / "bench"), **env),
		capture_output=True,
		text=True,
	)


@pytest.mark.parametrize(
	"kind, output, rc, summary, ok",
	[
		("pytest", "....\n340 passed in 35.21s\n", 0, "340 passed in 35.21s (abc1234)", True),
		(
			"pytest",
			"==== 29 passed, 12 skipped in 540.12s (0:09:00) ====\n",
			0,
			"29 passed, 12 skipped in 540.12s (0:09:00) (abc1234)",
			True,
		),
		("pytest", "340 passed, 2 warnings in 3.10s\n", 0, "340 passed, 2 warnings in 3.10s (abc1234)", True),
		("unittest", RUN_TESTS_OK, 0, "Ran 295 tests in 1042.123s, OK (abc1234)", True),
		(
			"unittest",
			"Ran 4 tests in 0.500s\n\nOK (skipped=1)\n",
			0,
			"Ran 4 tests in 0.500s, OK (skipped=1) (abc1234)",
			True,
		),
		# failures keep their counts
		(
			"pytest",
			"F...\n1 failed, 339 passed in 3.20s\n",
			1,
			"FAILED: 1 failed, 339 passed in 3.20s",
			False,
		),
		(
			"unittest",
			"Ran 3 tests in 0.500s\n\nFAILED (failures=1)\n",
			1,
			"FAILED: Ran 3 tests in 0.500s, FAILED (failures=1)",
			False,
		),
		("pytest", "Traceback ...\n", 2, "FAILED: no count in its output, exit code 2", False),
		# a suite that ran no test is a failure, whatever its exit code says
		("pytest", "\nno tests ran in 0.01s\n", 5, "FAILED: no tests ran in 0.01s", False),
		("pytest", "\nno tests ran in 0.01s\n", 0, "FAILED: no test ran (no tests ran in 0.01s)", False),
		("pytest", "sssss\n5 skipped in 1.00s\n", 0, "FAILED: no test ran (5 skipped in 1.00s)", False),
		(
			"unittest",
			"Ran 0 tests in 0.000s\n\nOK\n",
			0,
			"FAILED: no test ran (Ran 0 tests in 0.000s, OK)",
			False,
		),
		("unittest", "Ran 2 tests in 0.100s\n\nOK (skipped=2)\n", 0, "FAILED: no test ran", False),
		("unittest", "", 0, "FAILED: no test ran", False),
	],
)
def test_suite_status_quotes_the_suites_count(kind, output, rc, summary, ok, tmp_path):
	log = tmp_path / "suite.log"
	log.write_text(output)
	result = bash(f'suite_status {kind} {rc} "{log}" abc1234', tmp_path)
	assert result.stdout.strip().startswith(summary), result.stdout + result.stderr
	assert (result.returncode == 0) == ok
	if not ok:
		assert str(log) in result.stdout  # a failure says where its output is


def test_pytest_runs_quiet_with_its_closing_count_line(tmp_path):
	"""The project's addopts hold -q: a second -q would drop the "N passed" line the summary quotes."""
	tests = tmp_path / "some_tests"
	tests.mkdir()
	(tests / "test_two.py").write_text("def test_one():\n\tpass\n\n\ndef test_two():\n\tpass\n")
	result = bash(f'run_pytest "{sys.executable}" -p no:cacheprovider "{tests}"', tmp_path)
	assert result.returncode == 0, result.stdout + result.stderr
	log = tmp_path / "pure.log"
	log.write_text(result.stdout)
	status = bash(f'suite_status pytest 0 "{log}" abc1234', tmp_path)
	assert status.stdout.startswith("2 passed in "), result.stdout
	assert "test_two.py::test_one PASSED" not in result.stdout  # still quiet


STUBS = r"""
services_up() { :; }
swap_in() { :; }
swap_out() { :; }
prove_checkout() { echo 0123456789abcdef; }
install_app_in_bench() { :; }
install_apt() { :; }
pure_tests() { printf '....\n340 passed in 1.00s\n'; }
bench_tests() { printf '%s\n' "$BENCH_OUTPUT" >&2; return "${BENCH_RC:-0}"; }
browser_tests() { printf '..s\n29 passed, 12 skipped in 9.00s\n'; }
cmd_test
"""


def fake_bench(tmp_path: Path) -> dict:
	"""A bench folder with the site, and `bench` and `chromium` on PATH: cmd_test runs every suite."""
	bench = tmp_path / "bench"
	(bench / "apps" / "frappe").mkdir(parents=True)
	(bench / "sites" / "kam.test").mkdir(parents=True)
	(bench / "sites" / "kam.test" / "site_config.json").write_text("{}")
	bin_dir = tmp_path / "bin"
	bin_dir.mkdir()
	for name in ("bench", "chromium"):
		(bin_dir / name).write_text("#!/bin/sh\nexit 0\n")
		(bin_dir / name).chmod(0o755)
	return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "KAM_TEST_SITE": "kam.test"}


def summary_lines(stdout: str) -> dict[str, str]:
	lines = stdout[stdout.index("==> summary") :].splitlines()[1:]
	return {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in lines if ":" in line}


def test_cmd_test_summary_gives_each_suites_counts(tmp_path):
	env = fake_bench(tmp_path)
	result = bash(STUBS, tmp_path, BENCH_OUTPUT=RUN_TESTS_OK, **env)
	assert result.returncode == 0, result.stdout + result.stderr
	summary = summary_lines(result.stdout)
	assert summary["pure tests (pytest)"].startswith("340 passed in 1.00s (")
	assert summary["bench tests (run-tests)"] == "Ran 295 tests in 1042.123s, OK (0123456789ab)"
	assert summary["browser test (Chromium)"] == "29 passed, 12 skipped in 9.00s (0123456789ab)"
	# each suite's output is on the screen and in its log
	assert "Ran 295 tests" in (tmp_path / "dev-bench-logs" / "bench-tests.log").read_text()
	assert "340 passed" in result.stdout


def test_cmd_test_fails_when_the_bench_suite_ran_no_test(tmp_path):
	env = fake_bench(tmp_path)
	result = bash(STUBS, tmp_path, BENCH_OUTPUT="Ran 0 tests in 0.000s\n\nOK", **env)
	assert result.returncode != 0
	summary = summary_lines(result.stdout)
	assert summary["bench tests (run-tests)"].startswith("FAILED: no test ran (Ran 0 tests in 0.000s, OK)")
	assert summary["browser test (Chromium)"].startswith("29 passed, 12 skipped")


def test_cmd_test_fails_with_the_counts_of_a_failing_suite(tmp_path):
	env = fake_bench(tmp_path)
	output = "Ran 3 tests in 0.500s\n\nFAILED (failures=1)"
	result = bash(STUBS, tmp_path, BENCH_OUTPUT=output, BENCH_RC="1", **env)
	assert result.returncode != 0
	summary = summary_lines(result.stdout)
	assert summary["bench tests (run-tests)"].startswith("FAILED: Ran 3 tests in 0.500s, FAILED (failures=1)")
