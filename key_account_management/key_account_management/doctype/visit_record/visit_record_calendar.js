frappe.views.calendar["Visit Record"] = {
	field_map: {
		start: "planned_start",
		end: "planned_end",
		id: "name",
		title: "customer_name",
		status: "status",
	},
	style_map: { Planned: "info", Completed: "success", Cancelled: "danger" },
	get_events_method: "frappe.desk.calendar.get_events",
};
