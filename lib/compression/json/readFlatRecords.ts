/** A value of a flat record: a decoded string, or a number, `true`, `false` or `null` as its exact source text. */
export type FlatValue = { kind: 'string'; value: string } | { kind: 'literal'; source: string };

export type FlatRecord = Map<string, FlatValue>;

/** The index just past the string that starts at `start` (a quote). */
function stringEnd(json: string, start: number): number {
	let index = start + 1;
	while (json[index] !== '"') index += json[index] === '\\' ? 2 : 1;
	return index + 1;
}

function decodeString(json: string, start: number, end: number): string {
	const body = json.slice(start + 1, end - 1);
	return body.includes('\\') ? (JSON.parse(json.slice(start, end)) as string) : body;
}

/**
 * Reads an array whose elements are all objects with only string, number, boolean or null values. Numbers
 * keep their source text (1.0 stays "1.0"). Returns `undefined` for any other shape.
 * Expects minified JSON that is known to parse (see `minifyJson`).
 */
export function readFlatRecords(json: string): FlatRecord[] | undefined {
	if (json[0] !== '[') return undefined;
	const records: FlatRecord[] = [];
	let index = 1;
	if (json[index] === ']') return records;
	for (;;) {
		if (json[index] !== '{') return undefined;
		index++;
		const record: FlatRecord = new Map();
		if (json[index] === '}') index++;
		else {
			for (;;) {
				const keyEnd = stringEnd(json, index);
				const key = decodeString(json, index, keyEnd);
				index = keyEnd + 1; // past the colon
				const char = json[index];
				if (char === '{' || char === '[') return undefined;
				if (char === '"') {
					const valueEnd = stringEnd(json, index);
					record.set(key, { kind: 'string', value: decodeString(json, index, valueEnd) });
					index = valueEnd;
				} else {
					let valueEnd = index;
					while (json[valueEnd] !== ',' && json[valueEnd] !== '}') valueEnd++;
					record.set(key, { kind: 'literal', source: json.slice(index, valueEnd) });
					index = valueEnd;
				}
				if (json[index++] === '}') break;
			}
		}
		records.push(record);
		if (json[index++] === ']') return records;
	}
}
