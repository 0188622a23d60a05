import { readFlatRecords, type FlatValue } from '../json/readFlatRecords';

/** Opening line of the table block; a fence keeps every other rule off the table on later passes. */
const TABLE_FENCE_OPENING = '```tsv';
const TABLE_FENCE_CLOSING = '```';
const MIN_ROWS = 2;

// Text that would read as an empty or a quoted cell, break the row, close the fence (a line of backticks) or
// lose its edge whitespace to a reader is written as a JSON string.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_QUOTES = /^$|^[\s"`]|\s$|[\u0000-\u001f\u007f]/;

function formatText(text: string): string {
	return NEEDS_QUOTES.test(text) ? JSON.stringify(text) : text;
}

function formatValue(value: FlatValue | undefined): string {
	if (value === undefined) return '';
	if (value.kind === 'string') return formatText(value.value);
	return value.source === 'null' ? '' : value.source;
}

/**
 * Rewrites a JSON array of at least two flat objects (string, number, boolean and null values only) as a
 * tab-separated table in a ```tsv fence: a header with every key in first-seen order, then one line per
 * element. Numbers keep their source text; null and missing keys are empty cells. Returns `undefined` for
 * other shapes or when the table would not be shorter than the minified JSON.
 */
export function tabulateJsonArray(json: string): string | undefined {
	const records = readFlatRecords(json);
	if (records === undefined || records.length < MIN_ROWS) return undefined;
	const keys = new Set<string>();
	for (const record of records) for (const key of record.keys()) keys.add(key);
	if (keys.size === 0) return undefined;
	const rows = [[...keys].map(formatText).join('\t')];
	for (const record of records) rows.push([...keys].map((key) => formatValue(record.get(key))).join('\t'));
	const table = `${TABLE_FENCE_OPENING}\n${rows.join('\n')}\n${TABLE_FENCE_CLOSING}`;
	return table.length < json.length ? table : undefined;
}
