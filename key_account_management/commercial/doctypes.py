"""The ERPNext documents of an account that its people open from the profile (docs/DOMAIN.md §12).

Plain (no frappe): hooks.py reads it to register the row rules.
"""

from __future__ import annotations

# doctype -> (field naming the party, (field naming the party's type, the type) or None)
DOCUMENTS: dict[str, tuple[str, tuple[str, str] | None]] = {
	"Quotation": ("party_name", ("quotation_to", "Customer")),
	"Sales Order": ("customer", None),
	"Delivery Note": ("customer", None),
	"Sales Invoice": ("customer", None),
	"Payment Entry": ("party", ("party_type", "Customer")),
}

# the child tables of those documents in ERPNext 15 (listed on their own, a child table follows its
# parent only through its own row rule; tests/test_commercial_position.py checks the list is whole)
CHILD_TABLES = (
	"Advance Taxes and Charges",
	"Competitor Detail",
	"Delivery Note Item",
	"Packed Item",
	"Payment Entry Deduction",
	"Payment Entry Reference",
	"Payment Schedule",
	"Pricing Rule Detail",
	"Quotation Item",
	"Quotation Lost Reason Detail",
	"Sales Invoice Advance",
	"Sales Invoice Item",
	"Sales Invoice Payment",
	"Sales Invoice Timesheet",
	"Sales Order Item",
	"Sales Taxes and Charges",
	"Sales Team",
)

# those ERPNext also opens through its portal rule (has_website_permission: any customer a user may list,
# so every one for a user who may read the doctype): print views ask it besides read and print
WEBSITE_DOCTYPES = ("Quotation", "Sales Order", "Delivery Note", "Sales Invoice")

# what the app's roles may do with them: read, list and report, print and export; never change them
RIGHTS = ("select", "read", "report", "print", "export")


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()
