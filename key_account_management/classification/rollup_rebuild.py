"""Rebuild of the monthly rollups from the ledger: a company and a period, in batches of customers.

    bench --site <site> execute key_account_management.classification.rollup_rebuild.rebuild \
        --kwargs "{'company': 'My Company', 'from_date': '2025-01-01', 'to_date': '2025-12-31'}"

Each batch reads its customers' rows and recomputes them from the ledger with the rules of basis.py in
one snapshot, corrects only the rows that differ by the difference (rollup.correct: invoices posted
meanwhile stay counted, no lock needed), removes rows the ledger no longer has, and commits; a
Key Account Rollup Rebuild record keeps the progress and every difference it corrected. The weekly
job checks the last 25 months of the settings' company; install and migrate build all months of every
company once. Until a company's build has completed (``is_built``), the readers of the rollups do not
trust them (rollup_read.py, docs/DOMAIN.md §8).
"""

from __future__ import annotations

import json
import time

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from key_account_management.classification import rollup, rollup_compare
from key_account_management.classification.basis import currency_precision
from key_account_management.core.periods import calendar_months
from key_account_management.db_indexes import index_hint
from key_account_management.db_utils import chunks, named_lock
from key_account_management.settings import get_settings
from key_account_management.whitespace import rollup as item_group_rollup

BATCH_CUSTOMERS = 2000
LOGGED_DIFFERENCES = 500
PROGRESS_EVENT = "kam_rollup_rebuild_progress"
WEEKLY_MONTHS = 25  # the relationship job's two years and the month they start in
JOB_ID = "key_account_management:rollup_rebuild"
# set once install or migrate has built every company's rollups (build_once)
BUILT_KEY = "kam_rollups_built"
LOG = "Key Account Rollup Rebuild"


def rebuild(
	company: str | None = None,
	from_date=None,
	to_date=None,
	commit: bool = True,
	batch: int = BATCH_CUSTOMERS,
) -> dict:
	"""Recompute the rollups of ``company`` (the settings' when empty) for the months from
	``from_date``'s to ``to_date``'s (all when empty); returns what it checked and corrected."""
	company = company or get_settings().company
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(_("Company {0} does not exist.").format(frappe.bold(company or _("(none)"))))
	from_date = getdate(from_date) if from_date else None
	to_date = getdate(to_date) if to_date else None
	with named_lock(f"kam_rollup_rebuild:{company}", _("A rebuild of these rollups is already running.")):
		return Rebuild(company, from_date, to_date, commit, batch).run()


class Rebuild:
	def __init__(self, company, from_date, to_date, commit, batch):
		self.company, self.from_date, self.to_date = company, from_date, to_date
		self.commit, self.batch = commit, batch
		self.precision = currency_precision()
		self.checked = self.corrected = 0
		self.largest = 0.0
		self.differences: list[dict] = []
		self.log = frappe.get_doc(
			{
				"doctype": LOG,
				"company": company,
				"from_date": from_date,
				"to_date": to_date,
				"status": "Running",
				"started_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		self.save_point()

	def save_point(self):
		if self.commit:
			frappe.db.commit()

	def run(self) -> dict:
		started = time.monotonic()
		try:
			customers = self.customers()
			batches = list(chunks(customers, self.batch))
			for number, batch in enumerate(batches, 1):
				self.save_point()  # a fresh snapshot for the batch's two reads
				self.run_batch(list(batch))
				self.progress(number, len(batches))
				self.save_point()
		except Exception:
			if self.commit:
				frappe.db.rollback()
			self.finish("Failed", frappe.get_traceback(with_context=False)[-2000:])
			raise
		summary = self.finish("Completed")
		summary["seconds"] = round(time.monotonic() - started, 3)
		return summary

	def customers(self) -> list[str]:
		"""Every customer with invoices or rows in the period, in index order."""
		params = {"company": self.company, "from_date": self.from_date, "to_date": self.to_date}
		dates = ""
		if self.from_date:
			dates += " and posting_date >= %(from_date)s"
		if self.to_date:
			dates += " and posting_date <= %(to_date)s"
		invoiced = frappe.db.sql_list(
			f"""select distinct customer from `tabSales Invoice`
			{index_hint("Sales Invoice", "kam_customer_basis")}
			where company = %(company)s {dates}""",
			params,
		)
		months = dates.replace("posting_date >= %(from_date)s", "month >= %(from_month)s").replace(
			"posting_date <= %(to_date)s", "month <= %(to_month)s"
		)
		stored = frappe.db.sql_list(
			f"""select distinct customer from {rollup.TABLE}
			{index_hint(rollup.ROLLUP, "kam_rollup_customer")}
			where company = %(company)s {months}""",
			{
				**params,
				"from_month": rollup.month_start(self.from_date) if self.from_date else None,
				"to_month": rollup.month_start(self.to_date) if self.to_date else None,
			},
		)
		return sorted(set(invoiced) | set(stored))

	def run_batch(self, customers: list[str]) -> None:
		# First per customer: the ledger read as the reclassification used to read it, against the rows
		# summed. Only the customers whose totals differ are read again month by month.
		# Customers without rows (a first build) go straight to the months.
		period = (self.company, self.from_date, self.to_date)
		# whitespace: the batch's revenue per item group, checked the same way (whitespace/rollup.py)
		item_group_rollup.check(*period, customers)
		stored_totals = rollup_compare.stored_totals(*period, customers)
		with_rows = [customer for customer in customers if customer in stored_totals]
		ledger_totals = rollup_compare.ledger_totals(*period, with_rows) if with_rows else {}
		self.checked += len(customers)
		customers = [
			customer
			for customer in customers
			if customer not in stored_totals
			or not rollup_compare.same_totals(
				stored_totals[customer], ledger_totals.get(customer), self.precision
			)
		]
		if not customers:
			return
		# both reads in one snapshot; the corrections are differences, so no row needs a lock
		stored = rollup.stored_rows(self.company, self.from_date, self.to_date, customers)
		ledger = rollup.from_ledger(self.company, self.from_date, self.to_date, customers=customers)
		differences = rollup.correct(self.company, stored, ledger)
		self.corrected += len(differences)
		for (customer, month), found in sorted(differences.items()):
			for fieldname, old, new in found:
				if isinstance(old, float):
					self.largest = max(self.largest, abs(new - old))
				if len(self.differences) < LOGGED_DIFFERENCES:
					self.differences.append(
						{
							"customer": customer,
							"month": str(month),
							"field": fieldname,
							"stored": old,
							"ledger": new,
						}
					)

	def progress(self, done: int, total: int) -> None:
		percent = round(done * 100 / total, 1) if total else 100
		self.log.db_set("progress", percent, update_modified=False)
		frappe.publish_realtime(
			PROGRESS_EVENT,
			{
				"progress": percent,
				"description": _("Rollups: batch {0} of {1}, {2} rows corrected").format(
					done, total, self.corrected
				),
			},
			user=frappe.session.user,
		)

	def finish(self, status: str, error: str | None = None) -> dict:
		summary = {
			"company": self.company,
			"from_date": str(self.from_date or ""),
			"to_date": str(self.to_date or ""),
			"customers_checked": self.checked,
			"rows_corrected": self.corrected,
			"largest_difference": round(self.largest, self.precision),
			"differences": self.differences,
		}
		self.log.db_set(
			{
				"status": status,
				"progress": 100 if status == "Completed" else self.log.progress,
				"finished_on": now_datetime(),
				"rows_checked": self.checked,
				"rows_corrected": self.corrected,
				"largest_difference": self.largest,
				"differences": json.dumps(self.differences, indent=1, default=str),
				"error": error,
			},
			update_modified=False,
		)
		self.save_point()
		summary["log"] = self.log.name
		return summary


def scheduled_rebuild() -> None:
	"""Hooked on weekly_long: checks the settings' company over the months the jobs read."""
	company = get_settings().company
	if not company or not frappe.db.exists("Company", company):
		return
	from_date, to_date = calendar_months(getdate(today()), WEEKLY_MONTHS)
	rebuild(company, from_date, to_date)


def enqueue_rebuild(company: str | None = None, from_date=None, to_date=None) -> bool:
	"""Queue a rebuild on the long queue; False when one is already queued or running."""
	from frappe.utils.background_jobs import is_job_enqueued

	if is_job_enqueued(JOB_ID):
		return False
	frappe.enqueue(
		"key_account_management.classification.rollup_rebuild.rebuild",
		queue="long",
		timeout=6 * 3600,
		job_id=JOB_ID,
		deduplicate=True,
		company=company,
		from_date=from_date,
		to_date=to_date,
	)
	return True


def is_built(company: str) -> bool:
	"""Whether the company's rollups hold every invoice: the first build of every company finished
	(``BUILT_KEY``), or a build of all of this company's months completed. A build killed part-way
	leaves its record Running and the rows of the customers after its last committed batch missing;
	from then on the invoice hooks keep the rows current, so a later rebuild only corrects."""
	# from the table, not the defaults cache: another process may have cached the mark as it was
	if frappe.db.get_value("DefaultValue", {"parent": "__default", "defkey": BUILT_KEY}, "defvalue"):
		return True
	return bool(
		frappe.db.exists(
			LOG,
			{
				"company": company,
				"status": "Completed",
				"from_date": ("is", "not set"),
				"to_date": ("is", "not set"),
			},
		)
	)


def build_once() -> None:
	"""install / migrate: build every company's rollups, all months, until every company's build has
	completed once (a build killed part-way is run again by the next migrate)."""
	if frappe.db.get_default(BUILT_KEY) or not frappe.db.table_exists(rollup.ROLLUP):
		return
	for company in frappe.get_all("Company", pluck="name", order_by="name"):
		if not is_built(company):
			rebuild(company, commit=not frappe.flags.in_test)
	frappe.db.set_default(BUILT_KEY, "1")
