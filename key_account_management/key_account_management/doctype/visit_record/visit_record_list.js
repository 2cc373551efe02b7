frappe.listview_settings["Visit Record"] = {
	add_fields: ["status", "follow_up_status", "docstatus"],
	// a planned visit is a draft: the form shows "Planned" as its status says, not "Draft"
	has_indicator_for_draft: 1,
	get_indicator(doc) {
		if (doc.status === "Cancelled") return [__("Cancelled"), "red", "status,=,Cancelled"];
		if (doc.status === "Planned") return [__("Planned"), "blue", "status,=,Planned"];
		const colours = { Overdue: "red", Due: "orange", "Done Late": "yellow", "Done On Time": "green" };
		const follow_up = doc.follow_up_status;
		if (follow_up && colours[follow_up]) {
			return [__("Follow-up {0}", [__(follow_up)]), colours[follow_up], "follow_up_status,=," + follow_up];
		}
		return [__("Completed"), "green", "status,=,Completed"];
	},
};
