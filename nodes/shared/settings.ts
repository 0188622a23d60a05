import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface NumberRule {
	/** Used when the parameter is not set. */
	fallback: number;
	minimum: number;
	/** @default Number.MAX_SAFE_INTEGER */
	maximum?: number;
	/** Whether fractions are refused. @default true */
	whole?: boolean;
}

/** The display label of the parameter at `path` ("options.maxBatchKb"), looked up in the node's own properties. */
export function labelOf(properties: readonly INodeProperties[], path: string): string {
	let choices: readonly unknown[] = properties;
	let label = path;
	for (const part of path.split('.')) {
		const found = choices.find((entry) => (entry as { name?: unknown }).name === part) as
			| { displayName?: string; options?: unknown[]; values?: unknown[] }
			| undefined;
		if (!found) return label;
		label = found.displayName ?? part;
		choices = found.options ?? found.values ?? [];
	}
	return label;
}

/**
 * Reads numeric and JSON parameters, for the node as a whole (`itemIndex` undefined: read from the first item,
 * since they shape caches and limits all items share) or for one item. Every error names the parameter by its
 * display label, as the user sees it in the editor, and one item's errors also name the item.
 */
/** What the reader needs of n8n: the same in a node's `execute` and a sub-node's `supplyData`. */
export type SettingsContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;

export class SettingsReader {
	constructor(
		private readonly context: SettingsContext,
		private readonly properties: readonly INodeProperties[],
		private readonly itemIndex?: number,
	) {}

	/** The error for a parameter's value: `Item 3: 'Messages' is not valid JSON (...)`. */
	fail(path: string, problem: string): NodeOperationError {
		const item = this.itemIndex === undefined ? '' : `Item ${this.itemIndex}: `;
		return new NodeOperationError(this.context.getNode(), `${item}'${labelOf(this.properties, path)}' ${problem}`, {
			itemIndex: this.itemIndex ?? 0,
		});
	}

	/** The parameter's value as it is (after expressions), or `fallback` when it is not set. */
	raw(path: string, fallback?: unknown): unknown {
		return this.context.getNodeParameter(path, this.itemIndex ?? 0, fallback as never) as unknown;
	}

	/** The parameter as a number within the rule's range. */
	number(path: string, rule: NumberRule): number {
		return this.checkNumber(path, this.raw(path, rule.fallback), rule);
	}

	/** A value the caller already holds (from a collection read once) as the parameter's number; unset is the fallback. */
	checkNumber(path: string, value: unknown, rule: NumberRule): number {
		const { minimum, maximum = Number.MAX_SAFE_INTEGER, whole = true } = rule;
		const number = value === undefined ? rule.fallback : Number(value);
		if (!Number.isFinite(number) || number < minimum || number > maximum || (whole && !Number.isInteger(number))) {
			throw this.fail(path, `must be ${whole ? 'a whole number' : 'a number'} from ${minimum} to ${maximum}, got ${describeValue(value)}`);
		}
		return number;
	}

	/** A JSON parameter's value parsed (an expression may already have given an object or array). */
	parseJson(path: string, value: unknown): unknown {
		if (typeof value !== 'string') return value;
		try {
			return JSON.parse(value);
		} catch (error) {
			throw this.fail(path, `is not valid JSON (${(error as Error).message})`);
		}
	}
}

function describeValue(value: unknown): string {
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
