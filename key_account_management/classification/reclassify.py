"""ABC reclassification of every customer: read set-based, classify in the core, write batched.

The basis comes from the monthly rollups (rollup.py), kept current as invoices post: a sum of at most
``period_months`` rows per customer over whole calendar months, equal to a full read of the ledger
(basis.get_basis_values) over the same months (docs/DOMAIN.md §2, §8). Never from half-built rollups: a
run in a background job (``build_rollups``) first finishes a company's build that did not complete;
any other run then reads the ledger (rollup_read.py).

The whole run is one database transaction: the caller's request or background job commits it at
the end, and a failure (or a killed worker) rolls every class back to what it was before the run.
"""

from __future__ import annotations

import hashlib
import time

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from key_account_management.classification.groups import expand_groups, map_groups
from key_account_management.classification.new_profiles import create_profiles_for_a_customers
from key_account_management.classification.rollup_read import basis_values, complete_rollups
from key_account_management.classification.standing import write_standings
from key_account_management.core.abc_classification import class_counts, classify, effective_class
from key_account_management.core.periods import calendar_months
from key_account_management.db_utils import (
	append_child_rows,
	bulk_update,
	insert_alerts,
	named_lock,
	run_atomically,
)
from key_account_management.settings import get_settings

PROGRESS_EVENT = "kam_reclassify_progress"
SAVEPOINT = "kam_reclassify"
PROFILE_FIELDS = (
	"computed_abc_class",
	"abc_class",
	"abc_basis",
	"basis_value",
	"abc_as_of",
)


def lock_name(company: str) -> str:
	"""The named lock of ``company``'s reclassification (hashed: a lock name is at most 64 characters)."""
	return f"kam_reclassify:{hashlib.sha1(company.encode()).hexdigest()[:16]}"


def reclassify(company: str | None = None, as_of=None, build_rollups: bool = False) -> dict:
	"""Classify every customer of ``company`` (the settings' when empty) as of ``as_of`` (today).

	``build_rollups``: the caller is a background job, which may finish the company's rollup build
	first when it did not complete (it commits batch by batch)."""
	started = time.monotonic()
	settings = get_settings()
	company = company or settings.company
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(
			_(
				"Company {0} does not exist; set Company in Key Account Settings or pass an existing company."
			).format(frappe.bold(company or _("(none)"))),
			title=_("No Company"),
		)
	as_of = getdate(as_of or today())
	# whole calendar months: at most period_months rollup rows per customer
	from_date, to_date = calendar_months(as_of, settings.period_months)
	if build_rollups:
		complete_rollups(company, build=True)

	# one run per company: two companies run side by side on two workers, the same one twice is refused
	with named_lock(lock_name(company), _("A reclassification is already running; wait for it to finish.")):
		# all or nothing even inside a caller's transaction (a request, a job, a test), and run again
		# when a concurrent edit deadlocks it
		return run_atomically(
			SAVEPOINT, lambda: _reclassify(settings, company, as_of, from_date, to_date, started)
		)


def _reclassify(settings, company, as_of, from_date, to_date, started) -> dict:
	progress(10, _("Reading {0} from the monthly rollups").format(_(settings.basis)))
	values = basis_values(settings.basis, company, from_date, to_date)
	values, group_of = map_groups(settings, values, company, as_of)  # groups as one (§13), off by default
	computed = expand_groups(classify(values, settings.a_threshold, settings.b_threshold), group_of)

	progress(50, _("Comparing with current classes"))
	profiles = frappe.db.sql(
		f"""select name, customer, account_manager, override_class, override_valid_until,
			{", ".join(PROFILE_FIELDS)}
		from `tabKey Account Profile`""",
		as_dict=True,
	)
	stored = dict(
		frappe.db.sql("select name, kam_abc_class from `tabCustomer` where ifnull(kam_abc_class, '') != ''")
	)

	new_classes: dict[str, str | None] = {customer: c.abc_class for customer, c in computed.items()}
	profile_updates, history = {}, []
	# what flt(value, 6) would look up in the system settings on every call, six calls per profile
	rounding = frappe.get_system_settings("rounding_method") or "Banker's Rounding (legacy)"
	for profile in profiles:
		row = computed.get(profile.customer)
		target = {
			"computed_abc_class": row.abc_class if row else "C",
			"abc_basis": settings.basis,
			"basis_value": flt(row.value, 6, rounding) if row else 0.0,
			"abc_as_of": to_date,
		}
		override_valid = bool(profile.override_class) and (
			not profile.override_valid_until or getdate(profile.override_valid_until) >= as_of
		)
		target["abc_class"] = effective_class(
			target["computed_abc_class"], profile.override_class, override_valid
		)
		new_classes[profile.customer] = target["abc_class"]

		# rank and shares are not stored on the profile: they move for every customer every night and
		# are read from the standings (standing.py) when the form shows them
		changed = {f: v for f, v in target.items() if not same(profile.get(f), v, rounding)}
		if changed:
			profile_updates[profile.name] = changed
		if (profile.abc_class or None) != target["abc_class"]:
			target["cumulative_share_percent"] = flt(row.cumulative_share, 6, rounding) if row else 0.0
			history.append((profile, target, "Override" if override_valid else "Computed"))

	customer_updates = {
		customer: {"kam_abc_class": new_class}
		for customer, new_class in new_classes.items()
		if (stored.get(customer) or None) != new_class
	}
	# customers that had a class but no longer any sales and no profile: cleared
	for customer in stored:
		if customer not in new_classes:
			customer_updates[customer] = {"kam_abc_class": None}

	progress(70, _("Writing {0} changed classes").format(len(customer_updates)))
	# stamped as modified: a form opened before the run cannot save its old class back over the new one
	bulk_update("Customer", customer_updates, update_modified=True)
	bulk_update("Key Account Profile", profile_updates, update_modified=True)
	standings = write_standings(company, computed)
	log_history(history)
	notify_account_managers(history)
	created = create_profiles_for_a_customers(
		computed, {p.customer for p in profiles}, settings, company, as_of, to_date
	)

	counts = class_counts(new_classes)
	summary = {
		"company": company,
		"basis": settings.basis,
		"from_date": str(from_date),
		"to_date": str(to_date),
		"classified": sum(counts.values()),
		**counts,
		"changed": len(customer_updates),
		"profiles_updated": len(profile_updates),
		"standings_written": standings,
		"history_logged": len(history),
		"profiles_created": created,
		"seconds": round(time.monotonic() - started, 3),
	}
	record_run(summary)
	progress(100, _("Done"))
	return summary


def same(old, new, rounding: str | None = None) -> bool:
	"""Whether a stored value equals the new one as the column keeps it (six decimals for floats)."""
	if old == new and type(old) is type(new):
		return True
	if isinstance(new, float) or isinstance(old, float):
		return flt(old, 6, rounding) == flt(new, 6, rounding)
	if new is None or old is None:
		return (old or None) == (new or None)
	return str(old) == str(new)


def log_history(history) -> None:
	now, user = now_datetime(), frappe.session.user
	append_child_rows(
		"Key Account Class History",
		"Key Account Profile",
		"class_history",
		[
			{
				"parent": profile.name,
				"changed_on": now,
				"from_class": profile.abc_class,
				"to_class": target["abc_class"],
				"basis_value": target["basis_value"],
				"cumulative_share": target["cumulative_share_percent"],
				"source": source,
				"changed_by": user,
			}
			for profile, target, source in history
		],
	)


def notify_account_managers(history) -> None:
	# one multi-row insert: a document insert per alert cost ~20 ms, thousands on a first run
	insert_alerts(
		[
			{
				"for_user": profile.account_manager,
				"document_type": "Key Account Profile",
				"document_name": profile.name,
				"subject": _("{0}: ABC class {1} → {2}").format(
					profile.customer, profile.abc_class or _("none"), target["abc_class"]
				),
			}
			for profile, target, _source in history
			if profile.account_manager
		]
	)


def record_run(summary: dict) -> None:
	text = ", ".join(f"{k}: {v}" for k, v in summary.items())
	for field, value in (
		("last_run_on", now_datetime()),
		("last_run_status", _("Completed")),
		("last_run_summary", text),
	):
		frappe.db.set_single_value("Key Account Settings", field, value)


def progress(percent: int, description: str) -> None:
	frappe.publish_realtime(
		PROGRESS_EVENT, {"progress": percent, "description": description}, user=frappe.session.user
	)
