"""What the app's roles need outside the app's own doctypes, so no ERPNext role has to be added.

- setup.py: the Custom DocPerm rows install adds (Company, Currency, Customer, Contact, Address) and
  uninstall removes again.
- contacts.py: row-level rules for ERPNext's Contact and Address, for users whose only access to them
  comes from the app's roles: a key account manager sees the contacts and addresses of their accounts.
- workspace.py: which role sees which number card and chart of the Key Accounts workspace.
"""

KEY_ACCOUNT_MANAGER = "Key Account Manager"
KEY_ACCOUNT_DIRECTOR = "Key Account Director"
HOSPITALITY_APPROVER = "Hospitality Approver"
APP_ROLES = (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR, HOSPITALITY_APPROVER)
