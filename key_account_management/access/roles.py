"""The app's role names: the one place they are written (docs/DOMAIN.md §1, who uses the app).

Plain constants, no frappe: hooks.py, core/ and install read them."""

KEY_ACCOUNT_MANAGER = "Key Account Manager"
KEY_ACCOUNT_DIRECTOR = "Key Account Director"
HOSPITALITY_APPROVER = "Hospitality Approver"
SYSTEM_MANAGER = "System Manager"

APP_ROLES = (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR, HOSPITALITY_APPROVER)
# see every key account's rows
UNRESTRICTED_ROLES = frozenset({SYSTEM_MANAGER, KEY_ACCOUNT_DIRECTOR})
# may start a reclassification
RECLASSIFY_ROLES = (KEY_ACCOUNT_DIRECTOR, SYSTEM_MANAGER)
