"""Indexes the app adds to ERPNext's tables (and its own) for its set-based reads.

Each index is covering for one heavy read: with it MariaDB answers from the index alone instead of
looking up every matching row in the table itself, which on ERPNext's wide transaction tables is
what the reads spend most of their time on (measured by ``benchmarks/run.py``). They are added on
install and migrate (idempotent) and dropped on uninstall.
"""

from __future__ import annotations

import frappe

# (doctype, index name, columns). Keep every index under InnoDB's 3,072-byte key limit: a
# varchar(140) in utf8mb4 takes 560 bytes.
INDEXES: list[tuple[str, str, tuple[str, ...]]] = [
	# net revenue per customer, and the invoices the gross-profit pass starts from. Customer before
	# posting date: read in customer order, GROUP BY customer streams instead of filling a temporary
	# table, which with tens of thousands of customers outgrows memory and moved to disk (measured
	# 47 s against 15 s for a million invoices); the period is filtered on the index entries.
	(
		"Sales Invoice",
		"kam_customer_basis",
		(
			"company",
			"customer",
			"posting_date",
			"docstatus",
			"is_opening",
			"update_stock",
			"base_net_total",
			"is_return",
		),
	),
	# the invoice rows of those invoices, with what the gross-profit pass reads of them (the item group
	# for the monthly rollups, read in the same pass)
	(
		"Sales Invoice Item",
		"kam_gross_profit",
		("parent", "item_code", "warehouse", "dn_detail", "base_net_amount", "stock_qty", "item_group"),
	),
	# the stock ledger entry of each delivered row. Looked up by voucher_detail_no alone (the columns
	# after it are not equality-matched): a short key compares faster than all five name columns, and
	# the voucher type, item, warehouse and cancellation are checked on the index entry
	(
		"Stock Ledger Entry",
		"kam_gross_profit",
		(
			"voucher_detail_no",
			"actual_qty",
			"stock_value",
			"stock_value_difference",
			"voucher_type",
			"item_code",
			"warehouse",
			"is_cancelled",
		),
	),
	# relationship job: each customer's revenue of two years and last order (whole history), and the
	# invoices whose rows give the item groups bought; in customer order, so MariaDB sums as it reads
	(
		"Sales Invoice",
		"kam_customer_history",
		("company", "docstatus", "customer", "posting_date", "is_opening", "is_return", "base_net_total"),
	),
	# relationship job: the item groups on those invoices
	("Sales Invoice Item", "kam_item_group", ("parent", "parenttype", "item_group")),
	# relationship job: open receivables, read from the few invoices still outstanding
	(
		"Sales Invoice",
		"kam_receivables",
		("company", "docstatus", "outstanding_amount", "customer", "due_date"),
	),
	# the commercial panel (commercial/position.py): an account's receivables, and its open invoices
	# summed by invoice with their due dates, from the index alone (a big account has tens of thousands
	# of ledger rows: read one by one they cost 120 ms warm, 1.8 s cold). Two indexes because one holding
	# every column would pass InnoDB's key limit; the second leaves out the account type, which against a
	# Sales Invoice is always a receivable account (the invoice's debit account, or the customer account a
	# payment or advance allocated to it is booked on).
	(
		"Payment Ledger Entry",
		"kam_party_receivables",
		("party", "party_type", "company", "account_type", "delinked", "amount"),
	),
	(
		"Payment Ledger Entry",
		"kam_party_invoices",
		(
			"party",
			"party_type",
			"company",
			"against_voucher_type",
			"against_voucher_no",
			"delinked",
			"amount",
			"due_date",
		),
	),
	# visit job: submitted visits not followed up, by due date
	("Visit Record", "kam_follow_up", ("docstatus", "follow_up_date", "follow_up_due")),
	# "Follow-ups Overdue" card: the follow-ups the visit job marked overdue. Its filter is on the status
	# the job keeps, not on the dates: Frappe wraps a filter on a date that may be empty in ifnull(),
	# which no index answers (181 ms for 500,000 visits against a few ms)
	("Visit Record", "kam_follow_up_status", ("follow_up_status", "docstatus")),
	# the weekly check of the Visits per Month counts (visits/month_counts.py), and a manager's count
	("Visit Record", "kam_visit_month", ("docstatus", "visit_date")),
	# "Visits per Month" chart: twelve kept rows of every account, or the months of a manager's accounts
	("Key Account Visit Month", "kam_visit_month_rows", ("every_account", "key_account", "month", "visits")),
	# a manager's card and chart: the visits of their accounts, read from the index alone
	(
		"Visit Record",
		"kam_account_visits",
		("key_account", "docstatus", "visit_date", "follow_up_date", "follow_up_due", "follow_up_status"),
	),
	# "Accounts at Risk" and "Visits Overdue" cards
	("Key Account Profile", "kam_account_status", ("account_status",)),
	("Key Account Profile", "kam_next_visit_due", ("next_visit_due",)),
	# "Key Account Value by ABC Class" and "Accounts by Relationship Stage" charts
	("Key Account Profile", "kam_class_value", ("abc_class", "docstatus", "basis_value")),
	("Key Account Profile", "kam_stage", ("relationship_stage", "docstatus")),
	# "Customers by ABC Class" chart
	("Customer", "kam_abc_class_count", ("kam_abc_class", "docstatus")),
	# row-level access: the accounts whose team a user is on
	("Key Account Team Member", "kam_team_user", ("user", "parenttype", "parent")),
	# "Hospitality Pending My Approval": the requests waiting at a level, read from the index alone
	(
		"Hospitality Request",
		"kam_pending",
		("workflow_state", "requested_by", "owner", "key_account"),
	),
	# "Hospitality Spend vs Budget" (and its %-of-gross-profit variant): the year's committed requests
	# of the company with their amounts, from the index alone
	(
		"Hospitality Request",
		"kam_committed_spend",
		(
			"company",
			"workflow_state",
			"planned_date",
			"customer",
			"conversion_rate",
			"approved_amount",
			"actual_amount",
		),
	),
	# "Hospitality Spend per Month" chart: approved and settled requests summed by month
	(
		"Hospitality Request",
		"kam_spend_month",
		("workflow_state", "planned_date", "base_estimated_amount"),
	),
	# the ABC standings: a customer's row, and its rank and shares in one pass over the company's entries
	("Key Account ABC Standing", "kam_standing_customer", ("company", "customer")),
	("Key Account ABC Standing", "kam_standing_rank", ("company", "basis_value", "customer", "ranked_as")),
	# the monthly rollups summed per customer over a run of months, read from the index alone
	(
		"Key Account Monthly Rollup",
		"kam_rollup_customer",
		("company", "customer", "month", "invoice_count", "net_revenue", "gross_profit", "last_order_date"),
	),
	# whitespace: an account's revenue per item group over 24 months, read from the index alone
	(
		"Key Account Item Group Rollup",
		"kam_item_group_rollup",
		("company", "customer", "month", "item_group", "net_revenue"),
	),
]


def forget_index_hints() -> None:
	frappe.local.kam_index_hints = {}


def add_indexes() -> None:
	forget_index_hints()
	for doctype, name, columns in INDEXES:
		if not frappe.db.table_exists(doctype):
			continue
		if not has_index(doctype, name, columns):
			drop_index(doctype, name)
			# add_index only checks the name; a changed column list needs the drop above
			frappe.db.add_index(doctype, list(columns), name)


def drop_indexes() -> None:
	forget_index_hints()
	for doctype, name, _columns in INDEXES:
		if frappe.db.table_exists(doctype):
			drop_index(doctype, name)


def index_hint(doctype: str, name: str, fallback: str | None = None) -> str:
	"""FORCE INDEX for one of these indexes when the site has it (until migrate adds it, the fallback
	or no hint): with stale statistics MariaDB may otherwise pick a narrower index and read the rows
	themselves."""
	# asked once per request or job: the submit hooks use it on every invoice
	cache = getattr(frappe.local, "kam_index_hints", None)
	if cache is None:
		cache = frappe.local.kam_index_hints = {}
	if (doctype, name, fallback) not in cache:
		cache[(doctype, name, fallback)] = ""
		for index in (name, fallback):
			if index and frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", (index,)):
				cache[(doctype, name, fallback)] = f"force index (`{index}`)"
				break
	return cache[(doctype, name, fallback)]


def has_index(doctype: str, name: str, columns: tuple[str, ...]) -> bool:
	rows = frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", (name,), as_dict=True)
	return tuple(row.Column_name for row in sorted(rows, key=lambda row: row.Seq_in_index)) == columns


def drop_index(doctype: str, name: str) -> None:
	if frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", (name,)):
		frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")
