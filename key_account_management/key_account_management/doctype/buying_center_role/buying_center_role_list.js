// the person's name is the title; the ID (BCR-00001) says nothing to a reader, so it is not a column
frappe.listview_settings["Buying Center Role"] = {
	hide_name_column: true,
};
