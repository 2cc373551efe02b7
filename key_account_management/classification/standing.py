"""Where each customer stands in the last reclassification: rank, share and cumulative share
(docs/DOMAIN.md §2).

Every share moves when a day's sales change the company's total, so storing them on 50,000 profiles
meant rewriting every profile every night. The run keeps only each customer's basis value here, in a
narrow table written set-based where a value moved (the customers who bought that day); the profile's
rank, share and cumulative share are worked out from it when the form is read, in one pass over the
company's index entries, with the classification's own order (value highest first, ties by customer).
"""

from __future__ import annotations

import frappe

from key_account_management.db_indexes import index_hint
from key_account_management.db_utils import insert_rows
from key_account_management.settings import get_settings

STANDING = "Key Account ABC Standing"
TABLE = f"`tab{STANDING}`"
# the column keeps nine decimals; a value that moved less than that is the same value
PLACES = 9


def write_standings(company: str, computed: dict) -> int:
	"""Keep the run's ``computed`` rows (customer -> ``Classification``) as the company's standings: rows
	whose value moved or that are new are written again, customers without a row any more are dropped.
	A group's member classified with its group (``classification/groups.py``) stands where its group
	stands (``ranked_as``). Returns the number of rows written or dropped."""
	stored = {
		customer: (round(float(value or 0), PLACES), ranked_as or None)
		for customer, value, ranked_as in frappe.db.sql(
			f"select customer, basis_value, ranked_as from {TABLE} where company = %s", (company,)
		)
	}
	wanted = {
		customer: (round(float(row.value or 0), PLACES), row.customer if row.customer != customer else None)
		for customer, row in computed.items()
	}
	moved = [c for c, v in wanted.items() if stored.get(c) != v]
	gone = [c for c in stored if c not in wanted]
	stale = [c for c in moved if c in stored] + gone
	for start in range(0, len(stale), 1000):
		chunk = stale[start : start + 1000]
		frappe.db.sql(
			f"delete from {TABLE} where company = %s and customer in ({', '.join(['%s'] * len(chunk))})",
			[company, *chunk],
		)
	now, user = frappe.utils.now_datetime(), frappe.session.user
	insert_rows(
		STANDING,
		[
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"company",
			"customer",
			"basis_value",
			"ranked_as",
		],
		[(frappe.generate_hash(length=12), now, now, user, user, company, c, *wanted[c]) for c in moved],
	)
	return len(moved) + len(gone)


def classified_company(company: str | None) -> str | None:
	"""The company whose run a profile of ``company`` shows: its own once it has been classified, else
	the settings' (a run writes every profile's class, whatever company the profile names)."""
	if company and frappe.db.sql(f"select 1 from {TABLE} where company = %s limit 1", (company,)):
		return company
	return get_settings().company or company


def standing(company: str | None, customer: str | None) -> frappe._dict:
	"""The customer's rank (1 = highest value, 0 = no sales in the run's period), basis value, share and
	cumulative share (percent of the company's positive total, this customer included), as the
	reclassification's ``classify`` ranked them."""
	empty = frappe._dict(rank=0, value=0.0, share=0.0, cumulative_share=0.0)
	if not company or not customer:
		return empty
	row = frappe.db.sql(
		f"select basis_value, ranked_as from {TABLE} where company = %s and customer = %s",
		(company, customer),
	)
	if not row:
		return empty
	value, customer = float(row[0][0] or 0), row[0][1] or customer
	# ties by customer in code-point order, as Python sorts them (utf8mb4_bin compares the same way)
	before = "(basis_value > %(value)s or (basis_value = %(value)s and customer collate utf8mb4_bin < %(customer)s))"
	total, above, cumulative = frappe.db.sql(
		f"""select sum(greatest(basis_value, 0)), sum({before}),
			sum(if({before} or customer = %(customer)s, greatest(basis_value, 0), 0))
		from {TABLE} {index_hint(STANDING, "kam_standing_rank")}
		where company = %(company)s and ifnull(ranked_as, '') = ''""",
		{"company": company, "customer": customer, "value": value},
	)[0]
	total = float(total or 0)
	return frappe._dict(
		rank=int(above or 0) + 1,
		value=value,
		share=value / total * 100.0 if total > 0 else 0.0,
		cumulative_share=float(cumulative or 0) / total * 100.0 if total > 0 else 0.0,
	)
