"""The opportunity funnel of key accounts (docs/DOMAIN.md §7), built on ERPNext's own Opportunity.

The rules are plain Python in ``key_account_management.core.funnel`` (grades, risk screen) and
``core.funnel_stages`` (stages, milestones, counts). This package is their Frappe side: ``fields`` holds
the custom fields on Opportunity and Sales Stage; ``setup`` installs the six funnel stages, the
permissions and the settings' defaults; ``config`` reads the settings and the stages; ``opportunity`` is
the Opportunity hook (screen, milestones, stage moves, grade); ``jobs`` re-grades every open opportunity
daily as the dates move; ``permissions`` keeps a Key Account Manager to their accounts' opportunities;
``pipeline`` is the open pipeline shown on the Key Account Profile.
"""
