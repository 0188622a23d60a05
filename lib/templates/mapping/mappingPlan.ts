import { describeValue } from '../format';
import { autoMatch } from './autoMap';
import { frozenJsonCopy } from './frozenJson';
import { isUnsafeName, parseItemPath, readPath } from './itemPath';
import { TransformError } from './transformError';
import { applyTransform, checkTransformFormat, isTransform, TRANSFORMS, type Transform } from './transforms';

/** What the user writes: which item field fills a template variable, and how. */
export interface MappingRule {
	/** Template variable (top-level name). Trimmed. */
	variable: string;
	/** Item path, see `parseItemPath`. Trimmed. */
	path: string;
	/** JSON value used when the path finds nothing (not when it finds `null`). Never transformed. */
	default?: unknown;
	/** `""` counts as none. @default 'none' */
	transform?: Transform;
	/** Format of a `number`, `date` or `json` transform; `""` and `null` count as none, a number as its text. */
	format?: string;
}

export interface MappingEntry {
	readonly variable: string;
	readonly segments: readonly string[];
	readonly source: 'rule' | 'auto';
	/** Frozen copy of the rule's default; `undefined` when it has none. */
	readonly default: unknown;
	readonly transform: Transform;
	readonly format: string | undefined;
	/** Whether the template uses the variable; only those are reported missing. */
	readonly inTemplate: boolean;
}

export interface MappingPlan {
	/** The template's variables, without duplicates, in their first order. */
	readonly variables: readonly string[];
	/** Template variables in template order, then rules for variables the template does not use, in rule order. */
	readonly entries: readonly MappingEntry[];
	/** Template variables with neither a rule nor an automatic match: missing on every item. */
	readonly unmapped: readonly string[];
}

export interface MappingResult {
	/** Only the mapped variables, as own properties of a plain object: never the whole item. */
	data: Record<string, unknown>;
	/** Template variables with no value (undefined after the default; null is a value), in template order. Shared and frozen when empty. */
	missing: readonly string[];
}

/** A template variable or mapping rule that cannot be used. */
export class InvalidMappingError extends Error {
	override name = 'InvalidMappingError';
	readonly errorClass = 'validation' as const;
}

const NOTHING_MISSING: readonly string[] = Object.freeze([]);
const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * Decides once, for a template, its rules and an item shape, where each variable comes from; the per-item
 * work is then {@link applyMappingPlan} alone.
 * - A rule wins over automatic matching; with `autoMap`, the other variables are matched to item keys by
 *   `autoMatch` (exact name, then normalized name). `itemKeys` are only read with `autoMap`.
 * - Rules for variables the template does not use are kept: variable extraction cannot see names that are
 *   looked up dynamically (`lookup`, partials), and a rule is the user's explicit choice to expose that field.
 *   They are never reported missing.
 * - Paths are parsed, formats checked and defaults copied and frozen here, so a bad rule fails before the
 *   first item.
 * @throws {InvalidMappingError} for a bad variable name, duplicate rule, unknown transform or non-JSON default.
 * @throws {InvalidPathError | UnsafePathError} for a bad rule path; {TransformError} for a bad format.
 */
export function buildMappingPlan(
	variables: readonly string[],
	rules: readonly MappingRule[],
	itemKeys: readonly string[],
	options: { autoMap: boolean },
): MappingPlan {
	if (!Array.isArray(variables)) {
		throw new InvalidMappingError(`Expected template variables to be a list, got ${describeValue(variables)}`);
	}
	if (!Array.isArray(rules)) throw new InvalidMappingError(`Expected mapping rules to be a list, got ${describeValue(rules)}`);
	const templateVariables = uniqueVariables(variables);
	const ruleEntries = new Map<string, MappingEntry>();
	rules.forEach((rule, index) => {
		const entry = ruleEntry(rule, index);
		if (ruleEntries.has(entry.variable)) {
			throw new InvalidMappingError(`Expected one rule per variable, got more than one for ${JSON.stringify(entry.variable)}`);
		}
		ruleEntries.set(entry.variable, entry);
	});

	const automatic = options.autoMap
		? autoMatch(
				templateVariables.filter((variable) => !ruleEntries.has(variable)),
				itemKeys,
			)
		: undefined;
	const entries: MappingEntry[] = [];
	const unmapped: string[] = [];
	for (const variable of templateVariables) {
		const rule = ruleEntries.get(variable);
		const key = automatic?.[variable];
		if (rule !== undefined) {
			entries.push(createEntry(variable, [...rule.segments], 'rule', rule.default, rule.transform, rule.format, true));
		} else if (key !== undefined) {
			entries.push(createEntry(variable, [key], 'auto', undefined, 'none', undefined, true));
		} else {
			unmapped.push(variable);
		}
	}
	const inTemplate = new Set(templateVariables);
	for (const [variable, entry] of ruleEntries) {
		if (!inTemplate.has(variable)) entries.push(entry);
	}
	return Object.freeze({
		variables: Object.freeze(templateVariables),
		entries: Object.freeze(entries),
		unmapped: Object.freeze(unmapped),
	});
}

/**
 * Maps one item. Per-item hot path: a loop over the plan's entries with no parsing and no allocation
 * beyond the result (and the `missing` list, only when something is missing).
 * @throws {TransformError} with `variable` set, when a value cannot be transformed.
 */
export function applyMappingPlan(plan: MappingPlan, item: unknown): MappingResult {
	const entries = plan.entries;
	const data: Record<string, unknown> = {};
	let missingCount = plan.unmapped.length;
	for (let index = 0; index < entries.length; index++) {
		const entry = entries[index];
		let value = readPath(item, entry.segments);
		if (value === undefined) value = entry.default;
		else if (entry.transform !== 'none') value = transformValue(entry, value);
		if (value === undefined) {
			if (entry.inTemplate) missingCount++;
			continue;
		}
		data[entry.variable] = value;
	}
	return { data, missing: missingCount === 0 ? NOTHING_MISSING : missingVariables(plan.variables, data) };
}

function transformValue(entry: MappingEntry, value: unknown): unknown {
	try {
		return applyTransform(value, entry.transform, entry.format);
	} catch (error) {
		if (error instanceof TransformError) {
			throw new TransformError(`Cannot map variable ${JSON.stringify(entry.variable)}: ${error.message}`, entry.variable);
		}
		throw error;
	}
}

function missingVariables(variables: readonly string[], data: Record<string, unknown>): string[] {
	const missing: string[] = [];
	for (const variable of variables) {
		if (!hasOwnProperty.call(data, variable)) missing.push(variable);
	}
	return missing;
}

function uniqueVariables(variables: readonly string[]): string[] {
	const unique = new Set<string>();
	for (const variable of variables) {
		checkVariableName(variable, 'template variable names');
		unique.add(variable);
	}
	return [...unique];
}

function checkVariableName(variable: unknown, subject: string): asserts variable is string {
	if (typeof variable !== 'string' || variable.trim() === '') {
		throw new InvalidMappingError(`Expected ${subject} to be non-empty text, got ${describeValue(variable)}`);
	}
	if (isUnsafeName(variable)) {
		throw new InvalidMappingError(
			`Expected ${subject} to be other than __proto__, constructor and prototype, got ${JSON.stringify(variable)}`,
		);
	}
}

/** Checks a rule and turns it into an entry (path parsed, format checked, default copied). */
function ruleEntry(rule: MappingRule, index: number): MappingEntry {
	if (typeof rule !== 'object' || rule === null) {
		throw new InvalidMappingError(`Expected mapping rule ${index + 1} to be an object, got ${describeValue(rule)}`);
	}
	const variable = typeof rule.variable === 'string' ? rule.variable.trim() : rule.variable;
	checkVariableName(variable, `the variable of mapping rule ${index + 1}`);
	const subject = `the rule for ${JSON.stringify(variable)}`;
	if (typeof rule.path !== 'string') {
		throw new InvalidMappingError(`Expected the path of ${subject} to be text, got ${describeValue(rule.path)}`);
	}
	const transform = rule.transform === undefined || (rule.transform as string) === '' ? 'none' : rule.transform;
	if (!isTransform(transform)) {
		throw new InvalidMappingError(
			`Expected the transform of ${subject} to be one of ${TRANSFORMS.join(', ')}, got ${describeValue(transform)}`,
		);
	}
	const format = readFormat(rule.format);
	checkTransformFormat(transform, format);
	const copied = rule.default === undefined ? { value: undefined } : frozenJsonCopy(rule.default);
	if ('problem' in copied) {
		throw new InvalidMappingError(`Expected the default of ${subject} to be a JSON value, but ${copied.problem}`);
	}
	return createEntry(variable, parseItemPath(rule.path), 'rule', copied.value, transform, format, false);
}

/** `""` and `null` count as no format; a number (decimals, indent) is taken as its text, as JSON rules often give one. */
function readFormat(format: unknown): string | undefined {
	if (format === undefined || format === null || format === '') return undefined;
	return typeof format === 'number' ? String(format) : (format as string);
}

/**
 * The one place entries are made, so that all have the same fields in the same order: the per-item loop
 * then sees a single object shape.
 */
function createEntry(
	variable: string,
	segments: string[],
	source: MappingEntry['source'],
	defaultValue: unknown,
	transform: Transform,
	format: string | undefined,
	inTemplate: boolean,
): MappingEntry {
	return Object.freeze({
		variable,
		segments: Object.freeze(segments),
		source,
		default: defaultValue,
		transform,
		format,
		inTemplate,
	});
}
