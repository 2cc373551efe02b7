"""The reclassification and the daily jobs under concurrent writes (issue 18).

A reclassification failed with "SAVEPOINT kam_reclassify does not exist": a deadlock had rolled the
whole transaction back, and rolling back to the savepoint then failed and hid the deadlock. The jobs now
run the work again after a deadlock or lock wait (db_utils.run_atomically), raise the first error as it
was when they cannot, and stay all or nothing.

The deadlock tests make the database do what InnoDB does to its victim (roll the transaction back and
raise 1213). The last test runs the jobs in threads, each with its own connection (frappe.init/connect
on this site), while other threads edit profiles and buying centers, complete visits and post invoices:
every edit and every run must be there at the end. The data is committed (other connections cannot see
anything else) and removed again after the class.
"""

from __future__ import annotations

import threading
import time
from unittest.mock import patch

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, flt, getdate, now_datetime, today

from key_account_management.classification import reclassify as reclassify_module
from key_account_management.classification.reclassify import reclassify
from key_account_management.core.periods import trailing_period
from key_account_management.relationship import job as relationship_job
from key_account_management.relationship.job import evaluate_all_profiles
from key_account_management.tests import factories as f
from key_account_management.visits import jobs as visit_jobs
from key_account_management.visits.jobs import notify_overdue_visits

PREFIX = "KAM-CONC-"
CUSTOMERS = [f"{PREFIX}{n:02d}" for n in range(8)]
SERVICE = f"{PREFIX}SERVICE"
MANAGER = "kam.conc.manager@example.com"
RETRIED = (frappe.QueryDeadlockError, frappe.QueryTimeoutError, frappe.TimestampMismatchError)


def deadlock_error():
	"""What the database does to the transaction it picks as a deadlock's victim: it rolls the whole
	transaction back, behind Frappe's back, and the statement fails with 1213."""
	frappe.db._cursor.execute("rollback")
	return frappe.QueryDeadlockError(
		pymysql.err.OperationalError(
			1213, "Deadlock found when trying to get lock; try restarting transaction"
		)
	)


def lock_wait_error():
	"""A lock wait timeout undoes only the statement: the transaction and its savepoints survive."""
	return frappe.QueryTimeoutError(
		pymysql.err.OperationalError(1205, "Lock wait timeout exceeded; try restarting transaction")
	)


def fail_first(original, make_error):
	"""A stand-in for ``original`` that fails once with ``make_error()``, then does what it does."""
	calls = []

	def stand_in(*args, **kwargs):
		calls.append(1)
		if len(calls) == 1:
			raise make_error()
		return original(*args, **kwargs)

	stand_in.calls = calls
	return stand_in


def remove_fixtures():
	f.remove_customers(PREFIX)


class TestJobsUnderConcurrentWrites(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		remove_fixtures()
		cls.settings_before = frappe.db.get_singles_dict("Key Account Settings")
		f.save_settings({"company": f.COMPANY, "basis": "Net Revenue", "auto_create_profiles": 0})
		f.make_user(MANAGER, "Key Account Manager")
		f.make_item(SERVICE, is_stock_item=0)
		cls.roles = {}
		for index, customer in enumerate(CUSTOMERS):
			f.make_customer(customer)
			f.make_profile(customer, account_manager=MANAGER, estimated_category_spend=50_000)
			contact = f.make_contact(f"Conc Buyer {index}", customer)
			cls.roles[customer] = f.make_role(customer, contact, "Decision Maker").name
			f.sell(customer, [(SERVICE, 1, 100 * (index + 1) ** 2)], f.days_ago(30 + index), update_stock=0)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		remove_fixtures()
		for field in ("company", "basis", "auto_create_profiles"):
			frappe.db.set_single_value("Key Account Settings", field, cls.settings_before.get(field))
		frappe.db.commit()
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")
		# the jobs run as the scheduler runs them: in a transaction of their own
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")

	def stored_classes(self):
		return dict(
			frappe.db.sql(
				"select name, kam_abc_class from tabCustomer where name in %(customers)s",
				{"customers": tuple(CUSTOMERS)},
			)
		)

	# -- a deadlock in the middle of a run ---------------------------------------------------------

	def test_a_deadlock_mid_run_is_run_again_and_the_run_completes(self):
		frappe.db.sql("update tabCustomer set kam_abc_class = null where name in %s", [tuple(CUSTOMERS)])
		frappe.db.commit()
		stand_in = fail_first(reclassify_module.log_history, deadlock_error)
		with patch.object(reclassify_module, "log_history", stand_in):
			# before: pymysql OperationalError 1305 "SAVEPOINT kam_reclassify does not exist"
			summary = reclassify(f.COMPANY)
		self.assertEqual(len(stand_in.calls), 2)
		self.assertEqual(summary["classified"], summary["A"] + summary["B"] + summary["C"])
		classes = self.stored_classes()
		self.assertTrue(all(classes[c] for c in CUSTOMERS), classes)
		self.assertEqual(classes[CUSTOMERS[-1]], "A")  # the biggest customer

	def test_a_deadlock_in_a_callers_transaction_is_raised_as_the_deadlock(self):
		# the caller wrote before the run: the deadlock took that with it, so the run cannot just go again
		frappe.db.set_value("Key Account Profile", CUSTOMERS[0], "competitors", "written before the run")
		stand_in = fail_first(reclassify_module.log_history, deadlock_error)
		with patch.object(reclassify_module, "log_history", stand_in):
			with self.assertRaises(frappe.QueryDeadlockError):
				reclassify(f.COMPANY)
		self.assertEqual(len(stand_in.calls), 1)
		self.assertFalse(frappe.db.get_value("Key Account Profile", CUSTOMERS[0], "competitors"))

	def test_a_lock_wait_timeout_is_run_again_inside_the_callers_transaction(self):
		frappe.db.set_value("Key Account Profile", CUSTOMERS[0], "competitors", "written before the run")
		frappe.db.sql("update tabCustomer set kam_abc_class = null where name in %s", [tuple(CUSTOMERS)])
		stand_in = fail_first(reclassify_module.log_history, lock_wait_error)
		with patch.object(reclassify_module, "log_history", stand_in):
			reclassify(f.COMPANY)
		self.assertEqual(len(stand_in.calls), 2)
		# the caller's own write is still there, the run's writes too
		self.assertEqual(
			frappe.db.get_value("Key Account Profile", CUSTOMERS[0], "competitors"), "written before the run"
		)
		self.assertTrue(all(self.stored_classes().values()))

	def test_a_failure_that_is_no_deadlock_leaves_nothing_and_is_raised_as_it_was(self):
		reclassify(f.COMPANY)
		frappe.db.commit()
		before = self.stored_classes()
		frappe.db.sql("update tabCustomer set kam_abc_class = 'C' where name in %s", [tuple(CUSTOMERS)])
		stand_in = fail_first(reclassify_module.log_history, lambda: RuntimeError("killed"))
		with patch.object(reclassify_module, "log_history", stand_in):
			self.assertRaisesRegex(RuntimeError, "killed", reclassify, f.COMPANY)
		self.assertEqual(len(stand_in.calls), 1)
		self.assertEqual(set(self.stored_classes().values()), {"C"})  # the run's writes are gone
		self.assertNotEqual(before, self.stored_classes())

	def test_the_daily_jobs_run_again_after_a_deadlock(self):
		frappe.db.set_value("Key Account Profile", CUSTOMERS[1], "abc_class", "A")
		frappe.db.commit()
		stand_in = fail_first(relationship_job.close_playbook_items_of_closed_todos, deadlock_error)
		with patch.object(relationship_job, "close_playbook_items_of_closed_todos", stand_in):
			summary = evaluate_all_profiles()
		self.assertEqual(len(stand_in.calls), 2)
		self.assertGreaterEqual(summary["profiles"], len(CUSTOMERS))
		self.assertTrue(frappe.db.get_value("Key Account Profile", CUSTOMERS[1], "account_status"))
		frappe.db.commit()

		stand_in = fail_first(visit_jobs.directors, deadlock_error)
		with patch.object(visit_jobs, "directors", stand_in):
			result = notify_overdue_visits()
		self.assertEqual(len(stand_in.calls), 2)
		self.assertIn("overdue_accounts", result)
		self.assertTrue(frappe.db.get_value("Key Account Profile", CUSTOMERS[1], "next_visit_due"))

	# -- the jobs while other connections write ------------------------------------------------------

	def test_jobs_and_concurrent_edits_lose_nothing(self):
		site, sites_path = frappe.local.site, frappe.local.sites_path
		errors: list[str] = []
		runs: dict[str, list] = {"reclassify": [], "evaluate": [], "visits": []}
		written: dict[str, dict] = {"competitors": {}, "attitude": {}}
		made: dict[str, list] = {"visits": [], "invoices": []}
		retries: dict[str, int] = {}
		saves = []

		def connected(name, work):
			def run():
				frappe.init(site=site, sites_path=sites_path)
				frappe.connect()
				frappe.set_user("Administrator")
				try:
					work()
				except BaseException as error:
					errors.append(f"{name}: {type(error).__name__}: {error}")
					frappe.db.rollback()
				finally:
					frappe.destroy()

			return threading.Thread(target=run, name=name)

		def retrying(operation):
			"""What a user does when the database refuses a save under load: try again."""
			for attempt in range(10):
				try:
					result = operation()
					frappe.db.commit()
					saves.append(1)
					return result
				except RETRIED as error:
					retries[type(error).__name__] = retries.get(type(error).__name__, 0) + 1
					frappe.db.rollback()
					frappe.clear_messages()
					time.sleep(0.05 * (attempt + 1))
			raise AssertionError("an edit failed ten times")

		def job(name, function, times):
			def work():
				for _ in range(times):
					# as the scheduler runs it: the job, then its commit
					runs[name].append(function())
					frappe.db.commit()

			return work

		def save_value(doctype, name, field, value):
			"""Load, set one field and save, as the desk does, retried as a user would."""

			def save():
				doc = frappe.get_doc(doctype, name)
				doc.set(field, value)
				doc.save()

			retrying(save)

		def edit_profiles():
			for round_ in range(6):
				for customer in CUSTOMERS:
					value = f"competitor round {round_}"
					save_value("Key Account Profile", customer, "competitors", value)
					written["competitors"][customer] = value

		def edit_buying_centers():
			attitudes = ("Champion", "Supporter", "Neutral", "Skeptic")
			for round_ in range(6):
				for customer, role in self.roles.items():
					attitude = attitudes[(round_ + CUSTOMERS.index(customer)) % len(attitudes)]
					save_value("Buying Center Role", role, "attitude", attitude)
					written["attitude"][role] = attitude

		def complete_visits():
			for round_ in range(2):
				for customer in CUSTOMERS:
					start = add_to_date(now_datetime(), days=-(round_ + 2), hours=-3)

					def complete(customer=customer, start=start):
						visit = frappe.get_doc(
							{
								"doctype": "Visit Record",
								"key_account": customer,
								"visit_method": "On Site",
								"planned_start": start,
								"actual_start": start,
								"actual_end": add_to_date(start, hours=1),
								"talking_points": "Next year's volumes",
								"customer_views": "Positive",
							}
						).insert()
						visit.submit()
						return visit.name

					made["visits"].append(retrying(complete))

		def post_invoices():
			for round_ in range(2):
				for index, customer in enumerate(CUSTOMERS):
					amount = 50 * (round_ + 1) * (len(CUSTOMERS) - index)

					def post(customer=customer, amount=amount):
						return f.sell(customer, [(SERVICE, 1, amount)], f.days_ago(1), update_stock=0).name

					made["invoices"].append(retrying(post))

		def daily():
			for _ in range(3):
				runs["evaluate"].append(evaluate_all_profiles())
				frappe.db.commit()
				runs["visits"].append(notify_overdue_visits())
				frappe.db.commit()

		threads = [
			connected("reclassify", job("reclassify", lambda: reclassify(f.COMPANY), 3)),
			connected("daily jobs", daily),
			connected("profiles", edit_profiles),
			connected("buying centers", edit_buying_centers),
			connected("visits", complete_visits),
			connected("invoices", post_invoices),
		]
		started = time.monotonic()
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=900)
		self.assertFalse([t.name for t in threads if t.is_alive()], "threads still running")
		self.assertEqual(errors, [])
		frappe.db.rollback()  # a fresh snapshot of what the others committed

		# no run lost
		self.assertEqual((len(runs["reclassify"]), len(runs["evaluate"]), len(runs["visits"])), (3, 3, 3))
		self.assertTrue(all("classified" in run for run in runs["reclassify"]))
		# nothing lost: every edit is stored as last written
		for customer, value in written["competitors"].items():
			self.assertEqual(frappe.db.get_value("Key Account Profile", customer, "competitors"), value)
		for role, attitude in written["attitude"].items():
			self.assertEqual(frappe.db.get_value("Buying Center Role", role, "attitude"), attitude)
		self.assertEqual(len(made["visits"]), 2 * len(CUSTOMERS))
		self.assertEqual(
			frappe.db.count("Visit Record", {"name": ("in", made["visits"]), "docstatus": 1}),
			len(made["visits"]),
		)
		last_visits = dict(
			frappe.db.sql(
				"""select key_account, max(visit_date) from `tabVisit Record`
				where name in %(visits)s group by key_account""",
				{"visits": tuple(made["visits"])},
			)
		)
		for customer in CUSTOMERS:
			self.assertEqual(
				getdate(frappe.db.get_value("Key Account Profile", customer, "last_visit_date")),
				getdate(last_visits[customer]),
			)
		self.assertEqual(
			frappe.db.count("Sales Invoice", {"name": ("in", made["invoices"]), "docstatus": 1}),
			2 * len(CUSTOMERS),
		)

		# and a run after the storm classifies on every invoice: the basis stored for each account
		# equals the net revenue summed straight from the invoices
		reclassify(f.COMPANY)
		from_date, to_date = trailing_period(getdate(today()), 12)
		truth = dict(
			frappe.db.sql(
				"""select customer, sum(base_net_total) from `tabSales Invoice`
				where docstatus = 1 and company = %(company)s and customer in %(customers)s
					and posting_date between %(from_date)s and %(to_date)s
				group by customer""",
				{
					"company": f.COMPANY,
					"customers": tuple(CUSTOMERS),
					"from_date": from_date,
					"to_date": to_date,
				},
			)
		)
		for customer in CUSTOMERS:
			self.assertAlmostEqual(
				flt(frappe.db.get_value("Key Account Profile", customer, "basis_value")),
				flt(truth[customer]),
				delta=0.01,
				msg=customer,
			)
		frappe.db.rollback()
		print(
			f"\nconcurrent jobs and edits: {time.monotonic() - started:.1f} s, "
			f"{len(saves)} committed edits (profiles, buying centers, visits, invoices), "
			f"9 job runs; edits retried: {retries or 'none'}"
		)
