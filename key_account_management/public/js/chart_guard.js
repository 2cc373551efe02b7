// Frappe 15 re-renders a report's and a workspace widget's chart into the same element without destroying
// the chart it replaces; the old chart's ResizeObserver still fires and frappe-charts then draws into its
// detached container ("Failed to execute 'removeChild' on 'Node'" in the console). A chart whose
// container has left the document can never be seen again, and one whose drawing was taken out of its
// container by a re-render (its svg no longer a child: the same error) no longer owns what it would draw
// into: stop it instead of drawing.
(function () {
	if (!window.frappe || !frappe.Chart || frappe.Chart.kam_guarded) return;
	const Chart = frappe.Chart;
	const GuardedChart = function (parent, options) {
		const chart = new Chart(parent, options);
		const draw = chart.draw;
		if (typeof draw === "function") {
			chart.draw = function (...args) {
				const detached = this.container && !this.container.isConnected;
				const replaced = this.container && this.svg && this.svg.parentNode !== this.container;
				if (detached || replaced) {
					if (typeof this.destroy === "function") this.destroy();
					return;
				}
				return draw.apply(this, args);
			};
		}
		return chart;
	};
	GuardedChart.prototype = Chart.prototype;
	GuardedChart.kam_guarded = true;
	frappe.Chart = GuardedChart;
})();
