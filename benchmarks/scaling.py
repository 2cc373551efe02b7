"""Benchmark: past one machine (issue 31; README "Scaling out"). Not part of the test suite.

1. The director's Key Accounts workspace, every number card and chart as the desk calls them (the
   app's read paths: charts.number_card_result, charts.dashboard_chart_get, the custom cards' and
   chart sources' methods), read from the primary and then from the replica, while the nightly jobs
   (the relationship evaluation and the reclassification, each rolled back) run on the primary in
   another process the whole time.
2. The daily relationship run (relationship/chunks.py) over the site's profiles on one worker and on
   two: wall time from start_run to the run's Finished, after one warm-up run.

It times the profiles and ledger the site has (after ``jobs_and_dashboards.py --fill-only`` for the
full size) and needs the replica up for part 1 (``scripts/dev-bench replica up``):

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/scaling.py --site <site> --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import frappe

from jobs_and_dashboards import WORKSPACE, card_filters, chart_source_method

QUEUE = f"kam_scaling_{os.getpid()}"
NIGHTLY = """
import sys, time, frappe
frappe.init(site=sys.argv[1], sites_path="."); frappe.connect(); frappe.set_user("Administrator")
from key_account_management.classification.reclassify import reclassify
from key_account_management.relationship.job import evaluate_all_profiles
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
	evaluate_all_profiles(); frappe.db.rollback()
	reclassify(); frappe.db.rollback()
"""
WORKER = (
	"import sys, frappe.utils.background_jobs as jobs; queue = sys.argv[1]; known = jobs.get_queues_timeout;"
	" jobs.get_queues_timeout = lambda: {**known(), queue: 1500}; jobs.start_worker(queue=queue)"
)


def director() -> str:
	from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR

	users = frappe.get_all(
		"Has Role", filters={"role": KEY_ACCOUNT_DIRECTOR, "parenttype": "User"}, pluck="parent"
	)
	enabled = [u for u in users if frappe.db.get_value("User", u, "enabled")]
	return enabled[0] if enabled else "Administrator"


def workspace_calls() -> list[tuple[str, object]]:
	"""Every card and chart of the workspace, through the methods the desk reaches (hooks.py overrides)."""
	from key_account_management.charts import dashboard_chart_get, number_card_result

	workspace = frappe.get_doc("Workspace", WORKSPACE)
	calls = []
	for link in workspace.number_cards:
		card = frappe.get_doc("Number Card", link.number_card_name)
		filters = json.dumps(card_filters(card))
		if card.type == "Custom":
			method = frappe.get_attr(card.method)
			calls.append((f"card {card.name}", lambda m=method, f=filters: m(filters=f)))
		else:
			doc = json.dumps(card.as_dict(), default=str)
			calls.append((f"card {card.name}", lambda d=doc, f=filters: number_card_result(d, f)))
	for link in workspace.charts:
		chart = frappe.get_doc("Dashboard Chart", link.chart_name)
		if chart.chart_type == "Custom":
			method = chart_source_method(chart.source)
			calls.append(
				(f"chart {link.chart_name}", lambda m=method, n=link.chart_name: m(chart_name=n, refresh=1))
			)
		else:
			calls.append(
				(
					f"chart {link.chart_name}",
					lambda n=link.chart_name: dashboard_chart_get(chart_name=n, refresh=1),
				)
			)
	return calls


def forget_replica() -> None:
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)


def time_call(call, runs: int) -> float:
	times = []
	for _ in range(runs):
		forget_replica()  # each call a request of its own: it connects to the replica as a request does
		start = time.perf_counter()
		call()
		times.append(time.perf_counter() - start)
		frappe.db.rollback()
	return statistics.median(times)


def workspace(args) -> None:
	conf = frappe.get_site_config()
	if not conf.get("read_from_replica"):
		print("workspace: skipped, no replica (scripts/dev-bench replica up)")
		return
	frappe.set_user(director())
	calls = workspace_calls()
	seconds = args.runs * len(calls) * 0.5 + 120
	nightly = subprocess.Popen([sys.executable, "-c", NIGHTLY, args.site, str(seconds)])
	time.sleep(3)  # the jobs under way
	results = {}
	try:
		for mode, replica in (("primary", 0), ("replica", 1), ("primary again", 0)):
			frappe.local.conf.read_from_replica = replica
			results[mode] = {label: time_call(call, args.runs) for label, call in calls}
	finally:
		nightly.kill()
		nightly.wait()
		frappe.local.conf.read_from_replica = conf.get("read_from_replica")
		frappe.set_user("Administrator")
	print(
		f"\nworkspace as {frappe.session.user and director()}, nightly jobs on the primary, median of {args.runs}"
	)
	print(f"{'card / chart':<52} {'primary ms':>11} {'replica ms':>11} {'primary again':>14}")
	for label, _call in calls:
		print(
			f"{label:<52} {results['primary'][label] * 1000:>11.1f} {results['replica'][label] * 1000:>11.1f}"
			f" {results['primary again'][label] * 1000:>14.1f}"
		)
	totals = {mode: sum(values.values()) * 1000 for mode, values in results.items()}
	print(
		f"{'whole workspace':<52} {totals['primary']:>11.1f} {totals['replica']:>11.1f} {totals['primary again']:>14.1f}"
	)


def start_worker() -> subprocess.Popen:
	return subprocess.Popen(
		[sys.executable, "-c", WORKER, QUEUE],
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)


def relationship_run(chunk_size: int) -> float:
	from key_account_management.relationship import chunks

	start = time.perf_counter()
	name = chunks.start_run(size=chunk_size)
	while True:
		frappe.db.rollback()
		status = frappe.db.get_value(chunks.RUN, name, "status")
		if status in ("Finished", "Failed"):
			break
		time.sleep(0.1)
	elapsed = time.perf_counter() - start
	if status != "Finished":
		raise RuntimeError(f"run {name}: {frappe.db.get_value(chunks.RUN, name, 'error')}")
	return elapsed


def relationship(args) -> None:
	import signal

	from frappe.utils import background_jobs

	profiles = frappe.db.count("Key Account Profile")
	size = args.chunk_size or max(1, -(-profiles // 8))
	known = background_jobs.get_queues_timeout
	background_jobs.get_queues_timeout = lambda: {**known(), QUEUE: 1500}
	frappe.local.conf.kam_jobs_queue = QUEUE
	workers = [start_worker()]
	figures = {}
	try:
		relationship_run(size)  # warm-up: what a run changes is written once
		for count in (1, 2):
			while len(workers) < count:
				workers.append(start_worker())
			time.sleep(3)
			figures[count] = statistics.median(relationship_run(size) for _ in range(args.runs))
	finally:
		for worker in workers:
			os.killpg(worker.pid, signal.SIGKILL)
			worker.wait()
	print(f"\nrelationship run: {profiles:,} profiles in chunks of {size:,}, median of {args.runs}")
	for count, seconds in figures.items():
		print(f"  {count} worker{'s' if count > 1 else ''}: {seconds:.2f} s")
	print(f"  speed-up: {figures[1] / figures[2]:.2f}x")


def main():
	parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
	parser.add_argument("--site", required=True)
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--chunk-size", type=int, default=0, help="profiles per chunk (default: an eighth)")
	parser.add_argument("--only", default="workspace,relationship")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	only = set(args.only.split(","))
	try:
		if "workspace" in only:
			workspace(args)
		if "relationship" in only:
			relationship(args)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
