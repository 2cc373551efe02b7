"""Shared timing for the benchmarks: medians of several runs, peak memory, one printed table."""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field

import frappe


@dataclass
class Row:
	section: str
	operation: str
	times: list[float]
	peak_mb: float = 0.0
	# what the figure is compared with: ("bare SQL", seconds) prints "1.23× bare SQL"
	versus: tuple[str, float] | None = None
	target: str = ""
	note: str = ""
	extra: dict = field(default_factory=dict)

	@property
	def median(self) -> float:
		return statistics.median(self.times)


def timed(fn, runs: int, rollback: bool = True):
	"""Runs fn `runs` times; returns (seconds per run, Python peak MB over the runs, last result).

	Rolled back after each run by default so that every run does the same work (a first run)."""
	times, peaks, result = [], [], None
	for _ in range(runs):
		tracemalloc.start()
		start = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - start)
		peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
		tracemalloc.stop()
		if rollback:
			frappe.db.rollback()
	return times, max(peaks), result


def timed_untraced(fn, runs: int, trace_peak: bool = True):
	"""Like ``timed``, but the timed runs run without tracemalloc, which doubles the time of
	Python-heavy code (the relationship job, ERPNext's report); the peak memory comes from one more,
	traced and untimed, run (0.0 without ``trace_peak``)."""
	times, result = [], None
	for _ in range(runs):
		start = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - start)
		frappe.db.rollback()
	peak = timed(fn, 1)[1] if trace_peak else 0.0
	return times, peak, result


def settle_writes(limit_pages: int = 2000, wait_at_most: float = 300.0) -> float:
	"""Wait until InnoDB has written out what a bulk fill left in memory (its dirty pages): timed
	right after a million-row insert, a read competes with that flushing and the purge and was measured
	60 % slower (216 ms against 135 ms for the commercial panel's read) than the same read a minute
	later, which is what a user meets. Returns the seconds waited."""
	start = time.perf_counter()
	while time.perf_counter() - start < wait_at_most:
		dirty = frappe.db.sql("show global status like 'Innodb_buffer_pool_pages_dirty'")
		if not dirty or int(dirty[0][1]) <= limit_pages:
			break
		time.sleep(2)
	return time.perf_counter() - start


def standalone(run, add_arguments) -> None:
	"""Runs one section on its own: ``<section>.py --site <site> [--runs N] [its options]``."""
	import argparse

	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--runs", type=int, default=3)
	add_arguments(parser)
	cli = parser.parse_args()
	frappe.init(site=cli.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		print_table(run(cli))
	finally:
		frappe.destroy()


def process_peak_mb() -> float:
	"""The whole process's peak resident memory (Linux reports kilobytes)."""
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(rows: list[Row]) -> None:
	header = (
		f"{'section':<14} {'operation':<46} {'median':>9} {'min':>9} {'max':>9} {'peak MB':>8}  vs / target"
	)
	print("\n" + header)
	print("-" * len(header))
	for row in rows:
		versus = ""
		if row.versus:
			label, seconds = row.versus
			versus = f"{row.median / seconds:.2f}× {label}" if seconds else ""
		tail = "; ".join(part for part in (versus, row.target and f"target {row.target}", row.note) if part)
		print(
			f"{row.section:<14} {row.operation:<46} {fmt(row.median):>9} {fmt(min(row.times)):>9}"
			f" {fmt(max(row.times)):>9} {row.peak_mb:>8.1f}  {tail}"
		)


def fmt(seconds: float) -> str:
	return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
