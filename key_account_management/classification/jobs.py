"""Scheduled and queued entry points of the reclassification."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_months, get_datetime, now_datetime

from key_account_management.classification.reclassify import reclassify
from key_account_management.settings import get_settings

JOB_ID = "key_account_management:reclassify"


def is_due(schedule: str, last_run_on, now=None) -> bool:
	if not last_run_on:
		return True
	now = get_datetime(now or now_datetime())
	last = get_datetime(last_run_on)
	if schedule == "Monthly":
		return now >= add_months(last, 1)
	if schedule == "Weekly":
		return now >= add_days(last, 7)
	return now.date() > last.date()


def scheduled_reclassification() -> None:
	"""Hooked on daily_long: runs when the settings' schedule says a run is due."""
	settings = get_settings()
	if not settings.company or not is_due(settings.schedule, settings.last_run_on):
		return
	reclassify(build_rollups=True)


def enqueue_reclassification(company: str | None = None) -> bool:
	"""Queue a run of ``company`` (the settings' when empty) on the long queue; False when one of that
	company is already queued or running. Runs of two companies go to two free workers side by side."""
	from frappe.utils.background_jobs import is_job_enqueued

	company = company or get_settings().company
	job_id = f"{JOB_ID}:{company}"
	if is_job_enqueued(job_id):
		return False
	frappe.enqueue(
		"key_account_management.classification.reclassify.reclassify",
		queue="long",
		timeout=3600,
		job_id=job_id,
		deduplicate=True,
		company=company,
		build_rollups=True,
	)
	return True
