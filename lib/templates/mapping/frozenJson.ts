import { describeValue } from '../format';
import { isUnsafeName } from './itemPath';

const MAX_DEPTH = 64;

/**
 * A deep, frozen copy of a JSON value, or `null` with the reason it is not one. Rule defaults go through it
 * once per plan: every item then shares one default that neither a template helper nor a caller can change,
 * and the plan's cache key (canonical JSON of the rules) describes the default exactly. Object keys
 * `__proto__`, `constructor` and `prototype` are refused, as in paths.
 */
export function frozenJsonCopy(value: unknown): { value: unknown } | { problem: string } {
	try {
		return { value: copy(value, 0) };
	} catch (error) {
		if (error instanceof NotJsonError) return { problem: error.message };
		throw error;
	}
}

class NotJsonError extends Error {}

function copy(value: unknown, depth: number): unknown {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new NotJsonError(`it holds the number ${value}, which JSON cannot represent`);
		return value;
	}
	if (depth >= MAX_DEPTH) throw new NotJsonError(`it is nested deeper than ${MAX_DEPTH} levels (or refers to itself)`);
	if (Array.isArray(value)) return Object.freeze(value.map((member) => copy(member, depth + 1)));
	if (typeof value === 'object') {
		const prototype = Object.getPrototypeOf(value);
		if (prototype !== Object.prototype && prototype !== null) {
			throw new NotJsonError(`it holds ${describeValue(value)}, which is not a plain object`);
		}
		const result: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			if (isUnsafeName(key)) throw new NotJsonError(`it uses the key ${JSON.stringify(key)}`);
			const member = (value as Record<string, unknown>)[key];
			if (member !== undefined) result[key] = copy(member, depth + 1);
		}
		return Object.freeze(result);
	}
	throw new NotJsonError(`it holds ${describeValue(value)} (${typeof value}), which JSON cannot represent`);
}
