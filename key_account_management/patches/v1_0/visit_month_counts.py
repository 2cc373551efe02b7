"""The Visits per Month counts of the visits already there (visits/month_counts.py): from now on each
submit and cancel keeps them."""

from key_account_management.visits.month_counts import check


def execute():
	check()
