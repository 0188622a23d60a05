import { formatDate } from './helpers/formatDate';
import { formatNumber } from './helpers/formatNumber';
import { defaultValue, equals, json, lower, upper } from './helpers/valueHelpers';

/** A helper's body gets its positional arguments only; Handlebars' trailing options object is taken off. */
export type HelperBody = (args: unknown[]) => unknown;

/** How a helper may be written in a template; checked when the template is compiled, not when it renders. */
export interface HelperRule {
	/** Block helpers are written `{{#name arg}}...{{/name}}`; the others `{{name arg}}` or `(name arg)`. */
	block: boolean;
	minArgs: number;
	maxArgs: number;
	/**
	 * In strict mode, whether a variable passed to it must exist. Formatting helpers say yes, so `{{upper name}}`
	 * fails like `{{name}}` does; tests and fallbacks (`if`, `each`, `eq`, `default`) say no, since a missing
	 * value is what they are for.
	 */
	strictArgs: boolean;
}

export interface SafeHelper extends HelperRule {
	body: HelperBody;
}

/** Handlebars' own block helpers that stay available; `log` and `lookup` are removed from the environment. */
export const BUILT_IN_HELPER_RULES: ReadonlyMap<string, HelperRule> = new Map(
	['if', 'unless', 'each', 'with'].map((name) => [name, { block: true, minArgs: 1, maxArgs: 1, strictArgs: false }]),
);

export const SAFE_HELPERS: ReadonlyMap<string, SafeHelper> = new Map<string, SafeHelper>([
	['formatDate', { body: formatDate, block: false, minArgs: 1, maxArgs: 3, strictArgs: true }],
	['formatNumber', { body: formatNumber, block: false, minArgs: 1, maxArgs: 3, strictArgs: true }],
	['upper', { body: upper, block: false, minArgs: 1, maxArgs: 1, strictArgs: true }],
	['lower', { body: lower, block: false, minArgs: 1, maxArgs: 1, strictArgs: true }],
	['json', { body: json, block: false, minArgs: 1, maxArgs: 1, strictArgs: true }],
	['default', { body: defaultValue, block: false, minArgs: 2, maxArgs: 2, strictArgs: false }],
	['eq', { body: equals, block: false, minArgs: 2, maxArgs: 2, strictArgs: false }],
]);

/** Every helper a template may call; anything else is a compile error. */
export const HELPER_NAMES: readonly string[] = [...BUILT_IN_HELPER_RULES.keys(), ...SAFE_HELPERS.keys()];

export function helperRule(name: string): HelperRule | undefined {
	return BUILT_IN_HELPER_RULES.get(name) ?? SAFE_HELPERS.get(name);
}
