"""The app's jobs on two real workers (README "Scaling out", issue 31).

Two ``bench worker --queue long`` processes of this bench are started for the class (and killed after
it). On them: the reclassifications of two companies run side by side and both finish, the same company
queued twice runs once; the daily relationship run spreads its chunks over both workers and finishes once
every chunk has; a worker killed in the middle of a chunk loses no account (the chunk is queued again and
the other worker evaluates it). A chunk that fails is retried once, then named in the run's error (in
this process). The data is committed (workers have their own connections) and removed after the class.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from unittest.mock import patch

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import background_jobs, flt

from key_account_management.access.roles import KEY_ACCOUNT_MANAGER
from key_account_management.classification import reclassify as reclassify_module
from key_account_management.demo import records
from key_account_management.relationship import chunks
from key_account_management.relationship.job import evaluate_all_profiles
from key_account_management.tests import factories as f

PREFIX = "KAM-2W-"
MANAGER = "kam.two.workers@example.com"
CUSTOMERS = [f"{PREFIX}{n:02d}" for n in range(12)]
OTHER_COMPANY = "KAM Second Test Company"  # made here: a fresh site has no demo company yet
QUEUE = f"kam_two_workers_{os.getpid()}"


def bench_dir() -> str:
	return os.path.dirname(os.path.dirname(os.path.abspath(frappe.get_site_path())))


def start_worker() -> subprocess.Popen:
	"""A worker of this bench as ``bench worker --queue long`` starts it (frappe's start_worker), on a
	queue of its own (QUEUE, the relationship run's through kam_jobs_queue): a worker of a served bench
	sharing this Redis then cannot take the test's chunks. In its own process group."""
	code = (
		"import sys, frappe.utils.background_jobs as jobs; queue = sys.argv[1]; known = jobs.get_queues_timeout;"
		" jobs.get_queues_timeout = lambda: {**known(), queue: 1500}; jobs.start_worker(queue=f'{queue},long')"
	)
	return subprocess.Popen(
		[sys.executable, "-c", code, QUEUE],
		cwd=os.path.join(bench_dir(), "sites"),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)


def kill_group(pid: int) -> None:
	try:
		os.killpg(os.getpgid(pid), signal.SIGKILL)
	except ProcessLookupError:
		pass


def wait_for(condition, seconds: float, message: str):
	deadline = time.monotonic() + seconds
	while True:
		frappe.db.rollback()  # a fresh snapshot of what the workers committed
		value = condition()
		if value:
			return value
		if time.monotonic() > deadline:
			raise AssertionError(message)
		time.sleep(0.3)


class TestTwoWorkers(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		f.remove_customers(PREFIX)
		f.make_users({KEY_ACCOUNT_MANAGER: (MANAGER,)})
		f.make_accounts({customer: MANAGER for customer in CUSTOMERS})
		records.ensure_company(OTHER_COMPANY, "KSTC", "USD", "United States")
		frappe.db.commit()
		cls.since = frappe.utils.now_datetime()
		cls.workers = [start_worker(), start_worker()]
		known = background_jobs.get_queues_timeout
		cls.queues = patch.object(background_jobs, "get_queues_timeout", lambda: {**known(), QUEUE: 1500})
		cls.queues.start()
		frappe.local.conf.kam_jobs_queue = QUEUE

	@classmethod
	def tearDownClass(cls):
		cls.queues.stop()
		frappe.local.conf.pop("kam_jobs_queue", None)
		cls.stop_workers()

	@classmethod
	def stop_workers(cls):
		"""The workers killed, the class's records removed."""
		for worker in cls.workers:
			kill_group(worker.pid)
			worker.wait(timeout=10)
		frappe.db.rollback()
		f.remove_customers(PREFIX)
		f.forget_users([MANAGER])
		runs = frappe.get_all(chunks.RUN, filters={"creation": (">=", cls.since)}, pluck="name")
		if runs:
			frappe.db.delete(chunks.CHUNK, {"parenttype": chunks.RUN, "parent": ("in", runs)})
			frappe.db.delete(chunks.RUN, {"name": ("in", runs)})
		frappe.db.commit()
		super().tearDownClass()

	def run_doc(self, name):
		frappe.db.rollback()
		return frappe.get_doc(chunks.RUN, name)

	def worker_pids(self) -> set[int]:
		return {worker.pid for worker in self.workers if worker.poll() is None}

	def owner_worker(self, chunk_worker: str) -> int | None:
		"""The started worker that ran the chunk (chunks.worker_name: host, worker pid, work horse pid)."""
		parent = int(chunk_worker.split(":")[1])
		return parent if parent in self.worker_pids() else None

	# ---------------------------------------------------------------------------------------------

	def test_a_relationship_run_spreads_its_chunks_over_both_workers(self):
		total = frappe.db.count("Key Account Profile")
		size = max(1, -(-total // 6))
		name = chunks.start_run(size=size)
		wait_for(
			lambda: frappe.db.get_value(chunks.RUN, name, "status") in ("Finished", "Failed"),
			180,
			"the run did not finish in 3 minutes",
		)
		run = self.run_doc(name)
		self.assertEqual(run.status, "Finished", run.error)
		self.assertEqual(run.profiles, total)
		self.assertEqual(sum(row.profile_count for row in run.chunks), total)
		names = [n for row in run.chunks for n in row.profile_names.split("\n")]
		self.assertEqual(sorted(names), sorted(frappe.get_all("Key Account Profile", pluck="name")))
		self.assertTrue(all(row.status == "Done" and row.attempts == 1 for row in run.chunks))
		# finished once every chunk had, not before
		self.assertGreaterEqual(run.finished_on, max(row.modified for row in run.chunks))
		# both workers took chunks (another worker of this bench serving the long queue may take some)
		ran_on = {self.owner_worker(row.worker) for row in run.chunks}
		self.assertLessEqual(self.worker_pids(), ran_on, "both workers took chunks")
		# what the chunks wrote is what one whole run computes: a whole run now changes nothing
		self.assertEqual(evaluate_all_profiles()["updated"], 0)
		frappe.db.rollback()

	def test_a_worker_killed_mid_chunk_loses_no_account(self):
		# one account the run must write (a health score no evaluation gives), held by another connection
		# so that the chunk holding it blocks in the middle, started
		victim = CUSTOMERS[3]
		frappe.db.set_value("Key Account Profile", victim, "health_score", 999, update_modified=False)
		frappe.db.commit()
		holder = pymysql.connect(
			host=frappe.conf.db_host or "127.0.0.1",
			port=int(frappe.conf.db_port or 3306),
			user=frappe.conf.db_name,
			password=frappe.conf.db_password,
			database=frappe.conf.db_name,
		)
		try:
			with holder.cursor() as cursor:
				cursor.execute("begin")
				cursor.execute("select name from `tabKey Account Profile` where name = %s for update", victim)
			name = chunks.start_run(size=4)
			run = self.run_doc(name)
			stuck = next(row.name for row in run.chunks if victim in row.profile_names.split("\n"))
			worker = wait_for(
				lambda: frappe.db.get_value(chunks.CHUNK, stuck, ["status", "worker"], as_dict=True).worker,
				60,
				"no worker started the chunk",
			)
			self.assertEqual(frappe.db.get_value(chunks.CHUNK, stuck, "status"), "Started")
			time.sleep(1)  # in the middle of the chunk: blocked on the held account
			killed = self.owner_worker(worker)
			if killed is None:  # a worker of this bench outside the test (a served bench) took it
				self.skipTest(f"the chunk ran on {worker}, not on a worker of this test")
			kill_group(int(worker.split(":")[2]))  # the work horse, then its worker
			kill_group(killed)
		finally:
			holder.rollback()
			holder.close()
		# the other chunks finish on the other worker; the killed one stays Started until it is stale
		wait_for(
			lambda: not frappe.db.count(chunks.CHUNK, {"parent": name, "status": "Queued"}),
			120,
			"the other chunks did not run",
		)
		self.assertEqual(frappe.db.get_value(chunks.CHUNK, stuck, "status"), "Started")
		self.assertNotEqual(frappe.db.get_value(chunks.RUN, name, "status"), "Finished")
		with patch.dict(frappe.local.conf, {"kam_chunk_stale_seconds": 1}):
			time.sleep(1.5)
			self.assertGreaterEqual(chunks.requeue_stale(), 1)
		wait_for(
			lambda: frappe.db.get_value(chunks.RUN, name, "status") in ("Finished", "Failed"),
			120,
			"the run did not finish after the chunk was queued again",
		)
		run = self.run_doc(name)
		self.assertEqual(run.status, "Finished", run.error)
		row = next(row for row in run.chunks if row.name == stuck)
		self.assertEqual((row.status, row.attempts), ("Done", 2))
		self.assertNotEqual(flt(frappe.db.get_value("Key Account Profile", victim, "health_score")), 999)
		self.workers = [w for w in self.workers if w.pid != killed] + [start_worker()]
		type(self).workers = self.workers

	def test_a_failing_chunk_is_retried_once_then_named_in_the_run(self):
		FAULTS.clear()
		queued = []
		with (
			patch.object(chunks, "enqueue_chunk", side_effect=lambda run, chunk: queued.append(chunk)),
			patch.object(chunks, "EVALUATE", f"{__name__}.faulty_evaluation"),
		):
			name = chunks.start_run(size=8)
			while queued:
				chunks.run_chunk(name, queued.pop(0))
		run = self.run_doc(name)
		self.assertEqual(run.status, "Failed")
		by_status = {}
		for row in run.chunks:
			by_status.setdefault(row.status, []).append(row)
		failed = by_status.pop("Failed")
		self.assertEqual(list(by_status), ["Done"])
		# the chunk that always fails: two attempts, named in the run's error with its error
		self.assertEqual(len(failed), 1)
		self.assertEqual(failed[0].attempts, 2)
		self.assertIn(CUSTOMERS[0], failed[0].profile_names.split("\n"))
		self.assertIn(f"Chunk {failed[0].idx} ", run.error)
		self.assertIn("the ledger is on fire", run.error)
		# the chunk that failed once: done at its second attempt; the others at their first
		attempts = {row.profile_names: row.attempts for row in run.chunks if row.status == "Done"}
		self.assertEqual(attempts.pop("\n".join(FAULTS["passing"])), 2)
		# (how many other chunks there are depends on the profiles the site holds: none is fine)
		self.assertLessEqual(set(attempts.values()), {1})

	def test_one_run_at_a_time_and_a_lost_chunk_job_is_queued_again(self):
		queued = []
		with patch.object(chunks, "enqueue_chunk", side_effect=lambda run, chunk: queued.append(chunk)):
			name = chunks.start_run(size=10)
			self.assertEqual(chunks.start_run(size=10), name, "a second run while one is under way")
			first = list(queued)
			queued.clear()  # the queued jobs are lost (Redis restarted)
			with patch.dict(frappe.local.conf, {"kam_chunk_stale_seconds": 1}):
				time.sleep(1.5)
				self.assertEqual(chunks.requeue_stale(), len(first))
			self.assertEqual(sorted(queued), sorted(first))
			for chunk in queued + first:  # each job once more: a chunk taken is not evaluated twice
				chunks.run_chunk(name, chunk)
		run = self.run_doc(name)
		self.assertEqual(run.status, "Finished", run.error)
		self.assertEqual({(row.status, row.attempts) for row in run.chunks}, {("Done", 1)})

	def test_two_companies_reclassify_side_by_side_the_same_one_once(self):
		from frappe.utils.background_jobs import create_job_id, get_redis_conn
		from rq.job import Job

		from key_account_management.classification.jobs import enqueue_reclassification

		self.assertTrue(enqueue_reclassification(f.COMPANY))
		self.assertTrue(enqueue_reclassification(OTHER_COMPANY))
		self.assertFalse(enqueue_reclassification(f.COMPANY), "the same company is queued once")
		frappe.db.commit()
		conn = get_redis_conn()

		def statuses():
			found = {}
			for company in (f.COMPANY, OTHER_COMPANY):
				job = Job.fetch(
					create_job_id(f"key_account_management:reclassify:{company}"), connection=conn
				)
				found[company] = job.get_status(refresh=True)
			return found if all(s in ("finished", "failed") for s in found.values()) else None

		found = wait_for(statuses, 300, "the two reclassifications did not finish in 5 minutes")
		self.assertEqual(set(found.values()), {"finished"}, found)

	def test_the_same_company_twice_at_once_runs_one_at_a_time(self):
		# two jobs of one company at once, past the queue's deduplication, on the two workers: each
		# finishes, or is refused with the message while the other holds the company's lock
		from frappe.utils.background_jobs import create_job_id, get_redis_conn
		from rq.job import Job

		ids = [f"kam-2w-same-{frappe.generate_hash(length=8)}" for _n in range(2)]
		for job_id in ids:
			frappe.enqueue(
				"key_account_management.classification.reclassify.reclassify",
				queue="long",
				job_id=job_id,
				enqueue_after_commit=False,
				company=f.COMPANY,
			)
		conn = get_redis_conn()

		def jobs():
			found = [Job.fetch(create_job_id(job_id), connection=conn) for job_id in ids]
			return (
				found
				if all(job.get_status(refresh=True) in ("finished", "failed") for job in found)
				else None
			)

		found = wait_for(jobs, 300, "the two runs did not end in 5 minutes")
		statuses = [job.get_status() for job in found]
		self.assertIn("finished", statuses)
		for job in found:
			if job.get_status() == "failed":
				self.assertIn("A reclassification is already running", job.exc_info or "")
		self.assertTrue(frappe.db.sql("select is_free_lock(%s)", self.lock_key())[0][0])

	def lock_key(self) -> str:
		return f"{frappe.conf.db_name}:{reclassify_module.lock_name(f.COMPANY)}"[:64]


FAULTS: dict = {}


def faulty_evaluation(as_of=None, profiles=None) -> dict:
	"""A chunk's evaluation that always fails for the chunk of the first customer, and fails once for
	the first other chunk it is given."""
	if CUSTOMERS[0] in profiles:
		raise RuntimeError("the ledger is on fire")
	if "passing" not in FAULTS:
		FAULTS["passing"] = list(profiles)
		raise RuntimeError("a passing fault")
	return {"updated": 0}
