/**
 * Pieces of the Prometheus text format 0.0.4 for the one family we write ourselves (the duration histogram);
 * prom-client writes the others. Escaping follows the format: `\`, `"` and newline in label values; `\` and
 * newline in HELP text.
 */

export function escapeLabelValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function escapeHelp(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the format spells it (the same spelling prom-client uses). */
export function formatSampleValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/** One sample line, labels in the given order: `name{a="x",b="y"} 1`. */
export function sampleLine(name: string, labels: ReadonlyArray<readonly [string, string]>, value: number): string {
	const labelText = labels.map(([label, labelValue]) => `${label}="${escapeLabelValue(labelValue)}"`).join(',');
	return `${name}${labelText === '' ? '' : `{${labelText}}`} ${formatSampleValue(value)}`;
}

/** The HELP and TYPE lines that open a family. */
export function familyHeader(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
	return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}
