"""The daily relationship evaluation spread over the long queue's workers (docs/DOMAIN.md §3, README
"Scaling out").

``start_run`` finishes a rollup build left half done, records a Key Account Job Run with its chunks
(``kam_relationship_chunk_size`` profiles each, 500 unless the site config says otherwise, in name
order) and queues one job per chunk on the long queue: every free ``bench worker --queue long`` takes
one. A chunk is claimed under a row lock (Queued → Started, one more attempt, its heartbeat and worker
set), evaluated all or nothing (``job.evaluate_all_profiles(profiles=...)``), and marked Done. A chunk
that fails is queued once more, then marked Failed and named in the run's error. A worker killed
mid-chunk leaves it Started: ``requeue_stale`` (every five minutes) queues a chunk Started longer ago
than ``kam_chunk_stale_seconds`` (1800, above the chunk job's timeout, so no live worker holds it)
again, as an attempt. The chunk that ends last closes the run: Finished, or Failed when a chunk failed;
then the plans' actuals, which read the profiles' figures, are refreshed once more.
"""

from __future__ import annotations

import os
import socket

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, getdate, now_datetime, today

from key_account_management.db_utils import chunks

JOB = "relationship"
RUN = "Key Account Job Run"
CHUNK = "Key Account Job Chunk"
# called by its path: the job module queues runs through this one (no import cycle)
EVALUATE = "key_account_management.relationship.job.evaluate_all_profiles"
# the plans' actuals read the profiles' share of wallet, coverage and health: refreshed once a run closes
# (the daily_long refresh may have run before the chunks had)
AFTER_RUN = "key_account_management.plan.jobs.scheduled_refresh"
MAX_ATTEMPTS = 2
CHUNK_TIMEOUT = 1500
OPEN = ("Queued", "Started")


def chunk_size() -> int:
	return cint(frappe.conf.get("kam_relationship_chunk_size")) or 500


def stale_after() -> int:
	return cint(frappe.conf.get("kam_chunk_stale_seconds")) or CHUNK_TIMEOUT + 300


def chunk_customers(names: list[str]) -> list[str]:
	"""The customers whose facts a chunk of ``names`` reads: each profile's own, a group's members too."""
	from key_account_management.groups.members import customers_by_profile

	return sorted({customer for found in customers_by_profile(names).values() for customer in found})


def start_run(as_of=None, size: int | None = None) -> str:
	"""Record a run of every profile in chunks and queue the chunks; returns the run's name, or the name
	of the run still under way (two runs would evaluate and notify each account twice)."""
	from key_account_management.classification.rollup_read import complete_rollups
	from key_account_management.relationship.evaluation import get_config

	open_run = frappe.db.get_value(RUN, {"job": JOB, "status": ("in", ("Queued", "Running"))}, "name")
	if open_run:
		return open_run
	company = get_config().company
	if company and frappe.db.exists("Company", company):
		# once for the run, before any chunk reads the rollups (docs/DOMAIN.md §8)
		complete_rollups(company, build=True)
	names = frappe.get_all("Key Account Profile", order_by="name asc", pluck="name")
	now = now_datetime()
	run = frappe.get_doc(
		{
			"doctype": RUN,
			"job": JOB,
			"company": company,
			"as_of": getdate(as_of or today()),
			"status": "Queued" if names else "Finished",
			"started_on": now,
			"finished_on": None if names else now,
			"profiles": len(names),
			"chunks": [
				{"status": "Queued", "profile_count": len(part), "profile_names": "\n".join(part)}
				for part in chunks(names, size or chunk_size())
			],
		}
	)
	run.insert(ignore_permissions=True)
	frappe.db.commit()  # the workers read the run from their own connections
	for row in run.chunks:
		enqueue_chunk(run.name, row.name)
	return run.name


def enqueue_chunk(run: str, chunk: str) -> None:
	frappe.enqueue(
		"key_account_management.relationship.chunks.run_chunk",
		# the long queue, or the queue of workers kept for the app's runs (site config kam_jobs_queue)
		queue=frappe.conf.get("kam_jobs_queue") or "long",
		timeout=CHUNK_TIMEOUT,
		enqueue_after_commit=False,
		run=run,
		chunk=chunk,
	)


def run_chunk(run: str, chunk: str) -> str | None:
	"""Evaluate one chunk, if it is still queued (another worker may have taken it); returns its status."""
	row = frappe.db.sql(
		f"select status, attempts, profile_names from `tab{CHUNK}` where name = %s and parent = %s for update",
		(chunk, run),
		as_dict=True,
	)
	if not row or row[0].status != "Queued":
		frappe.db.rollback()
		return row[0].status if row else None
	attempts = row[0].attempts + 1
	set_chunk(chunk, status="Started", attempts=attempts, heartbeat=now_datetime(), worker=worker_name())
	frappe.db.sql(f"update `tab{RUN}` set status = 'Running' where name = %s and status = 'Queued'", run)
	frappe.db.commit()
	names = [name for name in (row[0].profile_names or "").split("\n") if name]
	try:
		as_of = frappe.db.get_value(RUN, run, "as_of")
		summary = frappe.get_attr(EVALUATE)(as_of=as_of, profiles=names)
		set_chunk(chunk, status="Done", updated=summary.get("updated") or 0, error=None)
		frappe.db.commit()
		status = "Done"
	except Exception as e:
		frappe.db.rollback()
		status = retry_or_fail(run, chunk, attempts, f"{type(e).__name__}: {e}"[:1000])
	finish_if_complete(run)
	return status


def retry_or_fail(run: str, chunk: str, attempts: int, error: str) -> str:
	"""Queue the chunk once more, or mark it Failed after its last attempt; commits."""
	if attempts < MAX_ATTEMPTS:
		set_chunk(chunk, status="Queued", error=error)
		frappe.db.commit()
		enqueue_chunk(run, chunk)
		return "Queued"
	set_chunk(chunk, status="Failed", error=error)
	frappe.db.commit()
	return "Failed"


def requeue_stale() -> int:
	"""Hooked every five minutes: the chunks whose worker died (Started too long ago) queued again, or
	failed after their last attempt; returns how many."""
	cutoff = add_to_date(now_datetime(), seconds=-stale_after())
	stale = frappe.db.sql(
		f"""select name, parent, attempts from `tab{CHUNK}`
		where parenttype = %s and status = 'Started' and heartbeat < %s""",
		(RUN, cutoff),
		as_dict=True,
	)
	for row in stale:
		retry_or_fail(row.parent, row.name, row.attempts, _("The worker running this chunk stopped."))
		finish_if_complete(row.parent)
	# a chunk queued that long ago whose job was lost (Redis restarted): queued again (a duplicate job
	# finds it taken and does nothing)
	lost = frappe.db.sql(
		f"""select name, parent from `tab{CHUNK}`
		where parenttype = %s and status = 'Queued' and modified < %s""",
		(RUN, cutoff),
		as_dict=True,
	)
	for row in lost:
		set_chunk(row.name, status="Queued")
		frappe.db.commit()
		enqueue_chunk(row.parent, row.name)
	return len(stale) + len(lost)


def finish_if_complete(run: str) -> None:
	"""Close the run once none of its chunks is queued or started; commits."""
	frappe.db.sql(f"select name from `tab{RUN}` where name = %s for update", run)  # one closer at a time
	rows = frappe.db.sql(
		f"""select idx, status, profile_count, profile_names, updated, error from `tab{CHUNK}`
		where parent = %s and parenttype = %s order by idx""",
		(run, RUN),
		as_dict=True,
	)
	if any(row.status in OPEN for row in rows) or frappe.db.get_value(RUN, run, "status") in (
		"Finished",
		"Failed",
	):
		frappe.db.commit()
		return
	failed = [row for row in rows if row.status == "Failed"]
	errors = []
	for row in failed:
		names = (row.profile_names or "").split("\n")
		errors.append(
			_("Chunk {0} ({1} profiles, {2} to {3}) failed after {4} attempts: {5}").format(
				row.idx, row.profile_count, names[0], names[-1], MAX_ATTEMPTS, row.error or ""
			)
		)
	frappe.db.set_value(
		RUN,
		run,
		{
			"status": "Failed" if failed else "Finished",
			"finished_on": now_datetime(),
			"updated": sum(cint(row.updated) for row in rows),
			"error": "\n".join(errors) or None,
		},
		update_modified=True,
	)
	frappe.db.commit()
	frappe.enqueue(AFTER_RUN, queue="long", job_id=AFTER_RUN, deduplicate=True, enqueue_after_commit=False)


def set_chunk(chunk: str, **values) -> None:
	frappe.db.set_value(CHUNK, chunk, values, update_modified=True)


def worker_name() -> str:
	"""host:parent pid:pid: a worker runs each job in a work horse it forks, so the parent names the worker."""
	return f"{socket.gethostname()}:{os.getppid()}:{os.getpid()}"
