import { isUnsafeName } from './itemPath';

const SEPARATORS = /[\s_.-]+/g;

/**
 * The form in which a variable and an item key are compared: lower case, without white space, `_`, `-` and
 * `.`, so that `first_name`, `firstName`, `First Name` and `FIRST-NAME` all read `firstname`.
 */
export function normalizeName(name: string): string {
	return name.toLowerCase().replace(SEPARATORS, '');
}

/**
 * Finds an item key for each variable: the key spelled exactly like the variable if there is one, else a key
 * with the same normalized name (see {@link normalizeName}). When several keys normalize the same
 * (`firstName` and `first_name`), the one equal to the variable ignoring case wins, else the first in item key
 * order; item key order is part of a mapping plan's cache key for this reason.
 * Variables and keys that are `__proto__`, `constructor` or `prototype`, and names that normalize to nothing
 * (`_`), are never matched. Variables without a match are left out of the result.
 * @returns variable -> item key, in an object without a prototype.
 */
export function autoMatch(variables: readonly string[], itemKeys: readonly string[]): Record<string, string> {
	const matches: Record<string, string> = Object.create(null);
	const exactKeys = new Set(itemKeys);
	let keysByNormalizedName: Map<string, string[]> | undefined;
	for (const variable of variables) {
		if (isUnsafeName(variable)) continue;
		if (exactKeys.has(variable)) {
			matches[variable] = variable;
			continue;
		}
		// Built only when some variable is not spelled like a key: the common case needs no normalizing.
		keysByNormalizedName ??= groupByNormalizedName(itemKeys);
		const normalized = normalizeName(variable);
		const candidates = normalized === '' ? undefined : keysByNormalizedName.get(normalized);
		if (candidates !== undefined) matches[variable] = pickCandidate(variable, candidates);
	}
	return matches;
}

function groupByNormalizedName(itemKeys: readonly string[]): Map<string, string[]> {
	const groups = new Map<string, string[]>();
	for (const key of itemKeys) {
		if (isUnsafeName(key)) continue;
		const normalized = normalizeName(key);
		if (normalized === '') continue;
		const group = groups.get(normalized);
		if (group === undefined) groups.set(normalized, [key]);
		else group.push(key);
	}
	return groups;
}

function pickCandidate(variable: string, candidates: readonly string[]): string {
	if (candidates.length === 1) return candidates[0];
	const lowerVariable = variable.toLowerCase();
	return candidates.find((key) => key.toLowerCase() === lowerVariable) ?? candidates[0];
}
