"""Monthly rollups per customer, kept current as documents post (Key Account Monthly Rollup).

One row per company, customer and month of the posting date: net revenue, selling amount, buying
amount and gross profit by the rules of ``basis.py`` (the same SQL, scoped to the invoices or
customer-months concerned), the number of invoices, the latest order of the month and the item groups
bought. The reclassification, share of wallet, the daily relationship job and the cards sum at most a
year's rows per customer instead of reading the ledger (rollup_read.py, which reads them only once the
company's build has completed; docs/DOMAIN.md §8).

How the rows stay equal to the ledger:

- Sales Invoice submit adds the invoice's figures (one scoped read of its rows and their stock ledger
  entries, one upsert); cancel takes away what the same read gives just before ERPNext reverses the
  stock (``before_cancel``). Credit notes are invoices: they count in their own month.
- A Delivery Note made from an invoice, or delivering a Sales Order an invoice was made from, changes
  how that invoice is priced: the invoices concerned are read before and after, the difference added.
- A completed Repost Item Valuation has rewritten the stock value of the vouchers it records as
  affected: the customer-months of the invoices priced by them are recomputed from the ledger.
- ``rebuild`` recomputes a company's rows for a period from the ledger in batches of customers,
  corrects the rows that differ and records what it corrected (weekly, on install and migrate).

Additions are atomic increments, so concurrent submits never lose each other; a recomputation reads
the rows and the ledger in one snapshot and corrects the amounts by the difference, so an invoice
posted meanwhile stays counted (see ``correct``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import frappe
from frappe.utils import flt, getdate, now

from key_account_management.classification.basis import (
	GROUP_SEPARATOR,
	Scope,
	currency_precision,
	selling_and_buying,
)
from key_account_management.core.periods import month_end, month_start
from key_account_management.db_indexes import index_hint
from key_account_management.db_utils import chunks

ROLLUP = "Key Account Monthly Rollup"
TABLE = f"`tab{ROLLUP}`"
AMOUNTS = ("net_revenue", "selling_amount", "buying_amount", "gross_profit", "invoice_count")
# the invoice index that holds is_return: the invoice-level reads are then answered from it alone
HISTORY_INDEX = "kam_customer_history"


@dataclass
class Month:
	"""The figures of one customer in one month."""

	net_revenue: float = 0.0
	selling_amount: float = 0.0
	buying_amount: float = 0.0
	invoice_count: int = 0
	last_order_date: object = None
	item_groups: set = field(default_factory=set)

	@property
	def gross_profit(self) -> float:
		return self.selling_amount - self.buying_amount

	def minus(self, other: Month) -> Month:
		return Month(
			self.net_revenue - other.net_revenue,
			self.selling_amount - other.selling_amount,
			self.buying_amount - other.buying_amount,
			self.invoice_count - other.invoice_count,
		)


def rollup_name(company: str, customer: str, month) -> str:
	"""Rows are named by their key, so an upsert finds its row by primary key."""
	key = f"{company}\x1f{customer}\x1f{getdate(month).isoformat()}"
	return hashlib.sha1(key.encode()).hexdigest()[:20]


# -- reading the ledger -----------------------------------------------------------------------------
def from_ledger(
	company: str, from_date=None, to_date=None, customers=None, invoices=None, order_facts: bool = True
) -> dict[tuple, Month]:
	"""{(customer, month): Month} read from the ledgers for the invoices in scope."""
	scope = Scope(
		company,
		from_date,
		to_date,
		customers=tuple(customers) if customers is not None else None,
		invoices=tuple(invoices) if invoices is not None else None,
		by_month=True,
	)
	months: dict[tuple, Month] = defaultdict(Month)
	groups: dict[tuple, set] = {}
	for key, (selling, buying) in selling_and_buying(scope, groups if order_facts else None).items():
		months[key].selling_amount = selling
		months[key].buying_amount = buying
	for row in frappe.db.sql(
		f"""
		select {scope.keys}, sum(si.base_net_total) as net_revenue, count(*) as invoices,
			max(if(si.is_return = 0, si.posting_date, null)) as last_order_date
		from `tabSales Invoice` si {scope.invoice_hint(HISTORY_INDEX)}
		where {scope.conditions()}
		{scope.group_by}
		""",
		scope.params(),
		as_dict=True,
	):
		month = months[scope.key(row)]
		month.net_revenue = flt(row.net_revenue)
		month.invoice_count = int(row.invoices)
		month.last_order_date = row.last_order_date
	for key, item_groups_of_month in groups.items():
		months[key].item_groups = item_groups_of_month
	return dict(months)


def item_groups(scope: Scope) -> dict[tuple, set]:
	"""The item groups of the invoices in scope that are not credit notes, per (customer, month)."""
	groups: dict[tuple, set] = defaultdict(set)
	for row in frappe.db.sql(
		f"""
		select distinct {scope.keys}, sii.item_group
		from `tabSales Invoice` si {scope.invoice_hint(HISTORY_INDEX)}
		inner join `tabSales Invoice Item` sii {index_hint("Sales Invoice Item", "kam_item_group")}
			on sii.parent = si.name and sii.parenttype = 'Sales Invoice'
		where {scope.conditions()} and si.is_return = 0 and ifnull(sii.item_group, '') != ''
		""",
		scope.params(),
		as_dict=True,
	):
		groups[scope.key(row)].add(row.item_group)
	return groups


# -- writing ----------------------------------------------------------------------------------------
COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"company",
	"customer",
	"month",
	"net_revenue",
	"selling_amount",
	"buying_amount",
	"gross_profit",
	"invoice_count",
	"last_order_date",
	"item_groups",
)


def _values(company: str, customer: str, month, figures: Month, timestamp: str) -> tuple:
	user = frappe.session.user
	return (
		rollup_name(company, customer, month),
		timestamp,
		timestamp,
		user,
		user,
		0,
		0,
		company,
		customer,
		getdate(month),
		figures.net_revenue,
		figures.selling_amount,
		figures.buying_amount,
		figures.gross_profit,
		figures.invoice_count,
		figures.last_order_date,
		GROUP_SEPARATOR.join(sorted(figures.item_groups)) or None,
	)


def correct(company: str, stored: dict[tuple, Month], ledger: dict[tuple, Month]) -> dict[tuple, list]:
	"""Bring the rows of ``stored`` ∪ ``ledger`` to the ledger's figures; returns the differences found
	({key: [(field, stored, ledger), ...]}).

	``stored`` and ``ledger`` must come from one snapshot (the same transaction). The amounts are then
	corrected by the difference, never overwritten: an invoice another connection posts meanwhile adds
	itself to the corrected row (its write waits for ours, or ours for its), so no lock is needed. The
	latest order and the item groups, which do not add up, are set to the ledger's."""
	precision = currency_precision()
	differences, corrections = {}, {}
	for key in set(stored) | set(ledger):
		old, new = stored.get(key) or Month(), ledger.get(key) or Month()
		found = compare(old, new, precision)
		if not found:
			continue
		differences[key] = found
		delta = new.minus(old)
		delta.last_order_date, delta.item_groups = new.last_order_date, new.item_groups
		corrections[key] = delta
	_upsert(company, corrections, increment=True, order_facts="set")
	delete_empty(company, [key for key in corrections if key not in ledger])
	return differences


def _upsert(company: str, months: dict[tuple, Month], increment: bool, order_facts: str) -> None:
	"""Multi-row upsert, in primary-key order (the rows land in neighbouring pages). Amounts are added
	(``increment``) or set; the latest order and item groups are set (``order_facts="set"``)."""
	if not months:
		return
	timestamp = now()
	keys = sorted(months, key=lambda key: rollup_name(company, *key))
	placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
	updates = [
		f"`{column}` = `{column}` + values(`{column}`)" if increment else f"`{column}` = values(`{column}`)"
		for column in AMOUNTS
	]
	if order_facts == "set":
		updates += ["last_order_date = values(last_order_date)", "item_groups = values(item_groups)"]
	updates += ["modified = values(modified)", "modified_by = values(modified_by)"]
	for chunk in chunks(keys, 500):
		params = []
		for customer, month in chunk:
			params.extend(_values(company, customer, month, months[(customer, month)], timestamp))
		frappe.db.sql(
			f"""insert into {TABLE} ({", ".join(f"`{c}`" for c in COLUMNS)})
			values {", ".join([placeholders] * len(chunk))}
			on duplicate key update {", ".join(updates)}""",
			params,
		)


def add(company: str, deltas: dict[tuple, Month]) -> None:
	"""Add these figures to the rows (an invoice posted or cancelled): atomic increments; the latest
	order and the item groups only grow here (a cancel recomputes them, see refresh_order_facts)."""
	timestamp = now()
	placeholders = ", ".join(["%s"] * len(COLUMNS))
	for (customer, month), delta in deltas.items():
		groups = sorted(delta.item_groups)
		# append each group the row does not list yet
		appended = "".join(
			", if(locate(concat(char(10), %s, char(10)), concat(char(10), ifnull(item_groups, ''), char(10)))"
			" = 0, concat(char(10), %s), '')"
			for _group in groups
		)
		params = list(_values(company, customer, month, delta, timestamp))
		for group in groups:
			params.extend((group, group))
		frappe.db.sql(
			f"""insert into {TABLE} ({", ".join(f"`{c}`" for c in COLUMNS)}) values ({placeholders})
			on duplicate key update
				net_revenue = net_revenue + values(net_revenue),
				selling_amount = selling_amount + values(selling_amount),
				buying_amount = buying_amount + values(buying_amount),
				gross_profit = gross_profit + values(gross_profit),
				invoice_count = invoice_count + values(invoice_count),
				last_order_date = nullif(greatest(ifnull(last_order_date, '0001-01-01'),
					ifnull(values(last_order_date), '0001-01-01')), '0001-01-01'),
				item_groups = nullif(trim(both char(10) from concat(ifnull(item_groups, '') {appended})), ''),
				modified = values(modified)""",
			params,
		)


def delete_empty(company: str, keys) -> None:
	"""Rows left without invoices (all cancelled) go, so the customer counts as having no sales."""
	names = [rollup_name(company, customer, month) for customer, month in keys]
	for chunk in chunks(names, 1000):
		frappe.db.sql(f"delete from {TABLE} where name in %s and invoice_count <= 0", (tuple(chunk),))


def _refreshed() -> list:
	log = getattr(frappe.local, "kam_rollup_refreshed", None)
	if log is None:
		log = frappe.local.kam_rollup_refreshed = []
	return log


def refresh_mark() -> int:
	"""Where the log of in-transaction refreshes stands (see refreshed_since)."""
	return len(_refreshed())


def refreshed_since(mark: int, company: str) -> set:
	"""The (customer, month) rows recomputed from the ledger in this transaction since ``mark``.

	A repost that runs inside a document's own submit or cancel (ERPNext does so in tests) recomputes
	rows that already count the document; its own hook must then leave those rows alone."""
	return {key for row_company, key in _refreshed()[mark:] if row_company == company}


def refresh(company: str, keys, commit: bool = False) -> int:
	"""Recompute these (customer, month) rows from the ledger (see ``correct``). With ``commit``, each
	month's batch is a transaction of its own (background jobs); without, it runs in the caller's."""
	by_month: dict = defaultdict(set)
	for customer, month in keys:
		by_month[month_start(getdate(month))].add(customer)
	refreshed = 0
	for month, customers in sorted(by_month.items()):
		for chunk in chunks(sorted(customers), 1000):
			if commit:
				frappe.db.commit()  # one fresh snapshot for both reads below
			wanted = {(customer, month) for customer in chunk}
			stored = stored_rows(company, month, month, chunk)
			ledger = from_ledger(company, month, month_end(month), customers=chunk)
			correct(company, stored, ledger)
			refreshed += len(wanted)
			if commit:
				frappe.db.commit()
			else:
				_refreshed().extend((company, key) for key in wanted)
	return refreshed


def refresh_order_facts(company: str, customer: str, month) -> None:
	"""The latest order and the item groups of one customer-month, after a cancel took an invoice out."""
	month = month_start(getdate(month))
	scope = Scope(company, month, month_end(month), customers=(customer,), by_month=True)
	last = frappe.db.sql(
		f"""select max(si.posting_date) from `tabSales Invoice` si
		where {scope.conditions()} and si.is_return = 0""",
		scope.params(),
	)[0][0]
	groups = item_groups(scope).get((customer, month), set())
	frappe.db.sql(
		f"update {TABLE} set last_order_date = %s, item_groups = %s where name = %s",
		(last, GROUP_SEPARATOR.join(sorted(groups)) or None, rollup_name(company, customer, month)),
	)


def compare(stored: Month | None, ledger: Month | None, precision: int) -> list[tuple]:
	"""(field, stored, ledger) for every field that differs by a cent or more (or at all, for the
	latest order and the item groups).

	Plain float arithmetic: a rebuild compares hundreds of thousands of rows, and Frappe's ``flt``
	looks up the rounding method in the system settings on every call (a third of a first build's
	time, measured with py-spy); only the differences found are rounded, for the record."""
	stored, ledger = stored or Month(), ledger or Month()
	differences = []
	tolerance = 0.5 / 10**precision
	for fieldname in AMOUNTS:
		old, new = float(getattr(stored, fieldname) or 0), float(getattr(ledger, fieldname) or 0)
		if abs(old - new) >= tolerance:
			differences.append((fieldname, round(old, precision), round(new, precision)))
	old_date, new_date = stored.last_order_date, ledger.last_order_date
	if old_date != new_date:
		old_date = getdate(old_date) if old_date else None
		new_date = getdate(new_date) if new_date else None
		if old_date != new_date:
			differences.append(("last_order_date", str(old_date or ""), str(new_date or "")))
	if set(stored.item_groups) != set(ledger.item_groups):
		differences.append(
			("item_groups", ", ".join(sorted(stored.item_groups)), ", ".join(sorted(ledger.item_groups)))
		)
	return differences


def row_conditions(company: str, from_date=None, to_date=None, customers=None) -> tuple[str, dict]:
	conditions = ["company = %(company)s"]
	if from_date:
		conditions.append("month >= %(from_month)s")
	if to_date:
		conditions.append("month <= %(to_month)s")
	if customers is not None:
		conditions.append("customer in %(customers)s")
	return " and ".join(conditions), {
		"company": company,
		"from_month": month_start(getdate(from_date)) if from_date else None,
		"to_month": month_start(getdate(to_date)) if to_date else None,
		"customers": tuple(customers or ()) or ("",),
	}


def stored_rows(company: str, from_date=None, to_date=None, customers=None) -> dict:
	"""{(customer, month): Month} as stored."""
	conditions, params = row_conditions(company, from_date, to_date, customers)
	rows = frappe.db.sql(
		f"""select customer, month, {", ".join(AMOUNTS)}, last_order_date, item_groups
		from {TABLE} where {conditions}""",
		params,
		as_dict=True,
	)
	return {
		(row.customer, getdate(row.month)): Month(
			flt(row.net_revenue),
			flt(row.selling_amount),
			flt(row.buying_amount),
			int(row.invoice_count or 0),
			row.last_order_date,
			set(filter(None, (row.item_groups or "").split(GROUP_SEPARATOR))),
		)
		for row in rows
	}
