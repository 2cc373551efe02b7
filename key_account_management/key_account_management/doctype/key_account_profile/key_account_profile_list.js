frappe.listview_settings["Key Account Profile"] = {
	add_fields: ["abc_class", "override_class"],
	get_indicator(doc) {
		const colour = { A: "green", B: "blue", C: "orange" }[doc.abc_class];
		return doc.abc_class
			? [__("Class {0}", [doc.abc_class]), colour, "abc_class,=," + doc.abc_class]
			: [__("Unclassified"), "gray", "abc_class,is,not set"];
	},
};
