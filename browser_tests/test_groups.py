"""A group account (集团客户, docs/DOMAIN.md §13) in the desk, in English and in Chinese: the manager opens
the demo's group, Huaxin Steel Group, and sees its three members as a tree on the profile, with the day
each joined; the member rows below it in the Group Members table.

Every step ends with no console error, no failed request, no error dialog; in Chinese no label is English.
Screenshot: docs/screenshots/<language>/manager-group-tree.png.
"""

from __future__ import annotations

import pytest

from browser_tests.conftest import BASE_URL, LANGUAGES
from browser_tests.desk import call, open_form, wait_idle
from browser_tests.test_journeys import assert_chinese, assert_clean

GROUP = "DEMO-Huaxin Steel Group"


@pytest.fixture(params=LANGUAGES)
def manager(request, sessions):
	return sessions("manager", request.param)


def test_group_with_three_members_on_the_profile(manager):
	page, mark = manager.page, manager.watch.mark()
	members = call(
		page,
		"frappe.client.get_list",
		doctype="Key Account Group Member",
		parent="Key Account Profile",
		filters={"parent": GROUP, "left_on": ["is", "not set"]},
		fields=["customer", "customer_name"],
		limit_page_length=20,
	)
	assert len(members) == 3, f"the demo's group should have three members, has {members}"
	open_form(page, BASE_URL, "Key Account Profile", GROUP)
	assert page.evaluate("cur_frm.doc.is_group") == 1
	tree = page.locator(".kam-group-tree")
	tree.wait_for(state="attached", timeout=60000)
	tree.scroll_into_view_if_needed()
	wait_idle(page)
	text = tree.inner_text()
	for member in members:
		assert (member["customer_name"] or member["customer"]) in text, f"{member} not in the tree: {text}"
	assert tree.locator("ul ul > li").count() == 3, "the tree's members are not drawn under the group"
	manager.screenshot("group-tree", ".kam-group-tree")
	assert_clean(manager, mark, f"group {GROUP}")
	names = {GROUP, "Huaxin Steel Group"} | {m["customer_name"] or m["customer"] for m in members}
	# the customer's group and territory on the overview are ERPNext's records (data, not labels)
	names |= set(page.evaluate("[cur_frm.doc.customer_group, cur_frm.doc.territory]")) - {None}
	assert_chinese(manager, names | {m["customer"] for m in members})
