"""Net revenue per customer, month and item group (Key Account Item Group Rollup), kept current as
Sales Invoices are submitted and cancelled (docs/DOMAIN.md §11).

The monthly rollups (classification/rollup.py) name the item groups a customer bought; the whitespace
and the plan's "Item Group Revenue" need the revenue of each. This narrow table holds it: one row per
company, customer, month of the posting date and the item group of the invoice rows (as the rows hold
it; the whitespace level maps it to its ancestor when read), with the rows' net amount in the
company's currency, credit notes included (negative), opening invoices left out.

- Submit adds the invoice's rows, cancel takes them away: one multi-row upsert of atomic increments,
  so concurrent submits never lose each other.
- The rollups' rebuild (classification/rollup_rebuild.py) checks each batch of customers here too:
  stored against the ledger, corrected by the difference (``check``).
- Readers sum the rows by their key, so a duplicate row (an item group renamed) still counts once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import frappe
from frappe.utils import flt, getdate, now

from key_account_management.classification.rollup import row_conditions
from key_account_management.core.periods import month_end, month_start
from key_account_management.core.whitespace import TOLERANCE
from key_account_management.db_utils import chunks, table_ready

DOCTYPE = "Key Account Item Group Rollup"
TABLE = f"`tab{DOCTYPE}`"
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
	"item_group",
	"net_revenue",
)


def enabled() -> bool:
	"""False until migrate has made the table (a site running this code before its migrate)."""
	return table_ready(DOCTYPE)


def row_name(company: str, customer: str, month, item_group: str) -> str:
	key = f"{company}\x1f{customer}\x1f{getdate(month).isoformat()}\x1f{item_group}"
	return hashlib.sha1(key.encode()).hexdigest()[:20]


# -- Sales Invoice events -----------------------------------------------------------------------------
def invoice_amounts(doc) -> dict[tuple, float]:
	"""{(customer, month, item group): net amount} of one invoice's rows."""
	if doc.is_opening == "Yes":
		return {}
	month = month_start(getdate(doc.posting_date))
	amounts: dict[tuple, float] = defaultdict(float)
	for row in doc.items:
		if row.item_group:
			amounts[(doc.customer, month, row.item_group)] += flt(row.base_net_amount)
	return dict(amounts)


def on_submit_sales_invoice(doc, method=None):
	if enabled():
		add(doc.company, invoice_amounts(doc))


def on_cancel_sales_invoice(doc, method=None):
	if not enabled():
		return
	amounts = invoice_amounts(doc)
	add(doc.company, {key: -amount for key, amount in amounts.items()})
	delete_empty(doc.company, amounts)


def after_rename_customer(doc, method=None, old=None, new=None, merge=False):
	"""A renamed (or merged) customer's rows are recomputed from the ledger."""
	if not enabled():
		return
	new = new or doc.name
	frappe.db.sql(f"delete from {TABLE} where customer = %s", new)
	for company in frappe.db.sql_list(
		"select distinct company from `tabSales Invoice` where customer = %s and docstatus = 1", new
	):
		check(company, customers=[new])


# -- writing ------------------------------------------------------------------------------------------
def add(company: str, amounts: dict[tuple, float]) -> None:
	"""Add these amounts to their rows (created at the amount when missing), in one statement per 500."""
	if not amounts:
		return
	timestamp, user = now(), frappe.session.user
	placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
	keys = sorted(amounts, key=lambda key: row_name(company, *key))
	for chunk in chunks(keys, 500):
		params = []
		for customer, month, item_group in chunk:
			params.extend(
				(
					row_name(company, customer, month, item_group),
					timestamp,
					timestamp,
					user,
					user,
					0,
					0,
					company,
					customer,
					getdate(month),
					item_group,
					amounts[(customer, month, item_group)],
				)
			)
		frappe.db.sql(
			f"""insert into {TABLE} ({", ".join(f"`{c}`" for c in COLUMNS)})
			values {", ".join([placeholders] * len(chunk))}
			on duplicate key update net_revenue = net_revenue + values(net_revenue),
				modified = values(modified), modified_by = values(modified_by)""",
			params,
		)


def delete_empty(company: str, keys) -> None:
	"""Rows brought back to nothing (their invoices cancelled) go."""
	names = [row_name(company, *key) for key in keys]
	for chunk in chunks(names, 1000):
		frappe.db.sql(
			f"delete from {TABLE} where name in %s and abs(net_revenue) < {TOLERANCE}", (tuple(chunk),)
		)


# -- reading ------------------------------------------------------------------------------------------
def stored(company: str, from_date=None, to_date=None, customers=None) -> dict[tuple, float]:
	"""{(customer, month, item group): net revenue} as stored."""
	conditions, params = row_conditions(company, from_date, to_date, customers)
	return {
		(customer, getdate(month), item_group): flt(amount)
		for customer, month, item_group, amount in frappe.db.sql(
			f"""select customer, month, item_group, sum(net_revenue) from {TABLE}
			where {conditions} group by customer, month, item_group""",
			params,
		)
	}


def ledger_query(company: str, from_date=None, to_date=None, customers=None) -> tuple[str, dict]:
	"""The read of the submitted invoices' rows summed by customer, month and item group (whole months)."""
	conditions = ["si.company = %(company)s", "si.docstatus = 1", "si.is_opening != 'Yes'"]
	if from_date:
		conditions.append("si.posting_date >= %(from_date)s")
	if to_date:
		conditions.append("si.posting_date <= %(to_date)s")
	if customers is not None:
		conditions.append("si.customer in %(customers)s")
	params = {
		"company": company,
		"from_date": month_start(getdate(from_date)) if from_date else None,
		"to_date": month_end(getdate(to_date)) if to_date else None,
		"customers": tuple(customers or ()) or ("",),
	}
	query = f"""select si.customer,
			cast(si.posting_date - interval (dayofmonth(si.posting_date) - 1) day as date) as month,
			sii.item_group, sum(sii.base_net_amount) as amount
		from `tabSales Invoice` si
		inner join `tabSales Invoice Item` sii on sii.parent = si.name and sii.parenttype = 'Sales Invoice'
		where {" and ".join(conditions)} and ifnull(sii.item_group, '') != ''
		group by si.customer, month, sii.item_group"""
	return query, params


def from_ledger(company: str, from_date=None, to_date=None, customers=None) -> dict[tuple, float]:
	"""{(customer, month, item group): net amount} of the submitted invoices' rows, whole months."""
	query, params = ledger_query(company, from_date, to_date, customers)
	rows = frappe.db.sql(query, params)
	return {(customer, getdate(month), group): flt(amount) for customer, month, group, amount in rows}


def insert_from_ledger(company: str, from_date=None, to_date=None, customers=None) -> int:
	"""Where no row is stored yet (a first build): the ledger's sums written in one statement, named as
	``row_name`` names them (an invoice submitted meanwhile adds to its row)."""
	query, params = ledger_query(company, from_date, to_date, customers)
	params.update(stamp=now(), user=frappe.session.user)
	frappe.db.sql(
		f"""insert into {TABLE} ({", ".join(f"`{c}`" for c in COLUMNS)})
		select left(sha1(concat_ws(char(31), %(company)s, g.customer, g.month, g.item_group)), 20),
			%(stamp)s, %(stamp)s, %(user)s, %(user)s, 0, 0, %(company)s, g.customer, g.month, g.item_group,
			g.amount
		from ({query}) g
		on duplicate key update net_revenue = {TABLE}.net_revenue + values(net_revenue)""",
		params,
	)
	return frappe.db.sql("select row_count()")[0][0]


def check(company: str, from_date=None, to_date=None, customers=None) -> int:
	"""Bring the rows of these customers (all without) and months to the ledger's amounts, by the
	difference (an invoice posted meanwhile stays counted); returns how many rows were corrected."""
	if not enabled():
		return 0
	held = stored(company, from_date, to_date, customers)
	if not held:
		insert_from_ledger(company, from_date, to_date, customers)
		return 0
	ledger = from_ledger(company, from_date, to_date, customers)
	deltas = {}
	for key in set(held) | set(ledger):
		delta = ledger.get(key, 0.0) - held.get(key, 0.0)
		if abs(delta) >= TOLERANCE:
			deltas[key] = delta
	add(company, deltas)
	delete_empty(company, [key for key in deltas if abs(ledger.get(key, 0.0)) < TOLERANCE])
	return len(deltas)


def build(company: str | None = None, batch: int = 2000) -> int:
	"""Every month of every company's customers (or one company's) checked against the ledger: the
	first build (patch) and a full repair."""
	corrected = 0
	companies = [company] if company else frappe.get_all("Company", pluck="name", order_by="name")
	for name in companies:
		customers = frappe.db.sql_list(
			"select distinct customer from `tabSales Invoice` where company = %s and docstatus = 1", name
		)
		customers = sorted(
			set(customers)
			| set(frappe.db.sql_list(f"select distinct customer from {TABLE} where company = %s", name))
		)
		for chunk in chunks(customers, batch):
			corrected += check(name, customers=list(chunk))
	return corrected


def revenue_split(company: str, customers, from_date, split_date, to_date) -> dict[tuple, tuple]:
	"""{(customer, item group): (net revenue from ``split_date``'s month on, before it)} over the whole
	months from ``from_date``'s to ``to_date``'s: the whitespace's last 12 months and the 12 before."""
	result: dict[tuple, tuple] = {}
	for chunk in chunks(sorted(set(customers)), 1000):
		conditions, params = row_conditions(company, from_date, to_date, chunk)
		params["split"] = month_start(getdate(split_date))
		for customer, item_group, recent, before in frappe.db.sql(
			f"""select customer, item_group, sum(if(month >= %(split)s, net_revenue, 0)),
				sum(if(month < %(split)s, net_revenue, 0))
			from {TABLE} where {conditions} group by customer, item_group""",
			params,
		):
			result[(customer, item_group)] = (flt(recent), flt(before))
	return result


def monthly(company: str, customers, from_date, to_date, item_groups=None) -> dict[tuple, list]:
	"""{(customer, company, item group): [(month, net revenue)]} of ``company`` (answered from the
	index, which leads with the company), for the plan's "Item Group Revenue" (plan/actuals.py)."""
	result: dict[tuple, list] = defaultdict(list)
	groups = tuple(item_groups or ()) or ("",)
	for chunk in chunks(sorted(set(customers)), 1000):
		for customer, company_of_row, item_group, month, amount in frappe.db.sql(
			f"""select customer, company, item_group, month, sum(net_revenue) from {TABLE}
			where customer in %(customers)s and month between %(start)s and %(end)s
				and company = %(company)s
				{"and item_group in %(groups)s" if item_groups is not None else ""}
			group by customer, company, item_group, month""",
			{
				"company": company,
				"customers": tuple(chunk),
				"start": month_start(getdate(from_date)),
				"end": getdate(to_date),
				"groups": groups,
			},
		):
			result[(customer, company_of_row, item_group)].append((getdate(month), flt(amount)))
	return dict(result)
