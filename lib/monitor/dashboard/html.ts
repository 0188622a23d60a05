import { escapeXml } from '../chart/svgText';
import { formatMs, formatPercent, formatUsd } from '../analysis/format';

/** Escapes text for HTML element content and attribute values (the same five characters as for SVG). */
export const escapeHtml = escapeXml;

/** A cell or figure for a value that may be missing: an en dash when it is. */
export function orDash<T>(value: T | null | undefined, format: (value: T) => string): string {
	return value === null || value === undefined ? '–' : format(value);
}

export const ms = (value: number | null | undefined) => orDash(value, formatMs);
export const percent = (value: number | null | undefined) => orDash(value, formatPercent);
export const usd = (value: number | null | undefined) => orDash(value, formatUsd);

/** A count with thousands separators, the same on every machine (no locale). */
export function count(value: number): string {
	return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in B, KB or MB with one decimal. */
export function bytes(value: number): string {
	if (value < 1024) return `${value} B`;
	if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
	return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

export interface Column<Row> {
	heading: string;
	/** The cell's HTML, already escaped. */
	cell(row: Row): string;
	/** Right-aligned figures. */
	numeric?: boolean;
	/** Text that wraps (sentences) instead of staying on one line. */
	wrap?: boolean;
}

function cellClass(column: { numeric?: boolean; wrap?: boolean }): string {
	return column.numeric ? ' class="num"' : column.wrap ? ' class="wrap"' : '';
}

/**
 * A table in a scrolling box, so that a wide table scrolls sideways on a phone instead of widening the page.
 * `rowAttributes` adds attributes (already escaped) to each row, for tests and scripts to find a row.
 */
export function table<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[], rowAttributes?: (row: Row) => string): string {
	const head = columns.map((column) => `<th${cellClass(column)}>${escapeHtml(column.heading)}</th>`).join('');
	const body = rows
		.map((row) => {
			const cells = columns.map((column) => `<td${cellClass(column)}>${column.cell(row)}</td>`).join('');
			return `<tr${rowAttributes ? ` ${rowAttributes(row)}` : ''}>${cells}</tr>`;
		})
		.join('\n');
	return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
