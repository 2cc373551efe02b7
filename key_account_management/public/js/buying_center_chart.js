// Org chart of a buying center: the app's own small renderer (nested lists + CSS connectors),
// because Frappe v15 and ERPNext ship no org-chart widget.
frappe.provide("key_account_management");

key_account_management.ATTITUDE_COLOURS = {
	Champion: "#2f9d58",
	Supporter: "#7cc47f",
	Neutral: "#a0aab4",
	Skeptic: "#f5a524",
	Opponent: "#e24c4c",
};

key_account_management.render_buying_center = function (wrapper, data) {
	const $wrapper = $(wrapper).empty();
	const esc = frappe.utils.escape_html;
	const node_html = (node) => {
		const colour = key_account_management.ATTITUDE_COLOURS[node.attitude] || "#a0aab4";
		const dots = "●".repeat(node.influence || 0) + "○".repeat(Math.max(0, 5 - (node.influence || 0)));
		const children = node.children.length
			? `<ul>${node.children.map((c) => `<li>${node_html(c)}</li>`).join("")}</ul>`
			: "";
		return `<div class="kam-bc-node ${node.active ? "" : "kam-bc-left"}" data-name="${esc(node.name)}"
				style="border-top-color:${colour}" title="${esc(__(node.attitude))}">
				<div class="kam-bc-name">${node.insider ? `<span class="kam-bc-insider" title="${__("Insider / Coach")}">★</span> ` : ""}${esc(node.label)}</div>
				<div class="kam-bc-role">${esc(__(node.role))}</div>
				<div class="kam-bc-meta"><span style="color:${colour}">${esc(__(node.attitude))}</span>
					<span class="kam-bc-influence" title="${__("Influence")}">${dots}</span></div>
			</div>${children}`;
	};
	if (!data.chart.length) {
		$wrapper.html(`<div class="text-muted">${__("No buying center mapped yet. Add the people who decide.")}</div>`);
		return;
	}
	const flags = data.coverage.flags
		.map((f) => `<span class="indicator-pill orange">${esc(__(f))}</span>`)
		.join(" ");
	$wrapper.html(`
		<div class="kam-bc-summary">${flags}</div>
		<div class="kam-bc-chart"><ul>${data.chart.map((n) => `<li>${node_html(n)}</li>`).join("")}</ul></div>`);
	$wrapper.find(".kam-bc-node").on("click", function () {
		frappe.set_route("Form", "Buying Center Role", $(this).attr("data-name"));
	});
};
