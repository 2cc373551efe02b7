"""The item group rollups of the invoices already there (docs/DOMAIN.md §11): a new install builds
them with the monthly rollups; a site that had those before the whitespace builds them here."""

from key_account_management.whitespace.rollup import build


def execute():
	build()
