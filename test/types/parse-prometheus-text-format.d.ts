/** The package ships no types; this covers what our tests read from its output (prom2json's shape). */
declare module 'parse-prometheus-text-format' {
	interface ParsedSample {
		labels?: Record<string, string>;
		/** Counters, gauges and untyped samples. */
		value?: string;
		/** Histograms: cumulative counts keyed by `le`. */
		buckets?: Record<string, string>;
		/** Summaries: values keyed by `quantile`. */
		quantiles?: Record<string, string>;
		count?: string;
		sum?: string;
	}

	interface ParsedFamily {
		name: string;
		help: string;
		type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
		metrics: ParsedSample[];
	}

	function parsePrometheusTextFormat(text: string): ParsedFamily[];
	export = parsePrometheusTextFormat;
}
