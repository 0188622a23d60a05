import type { IExecuteFunctions, INodeExecutionData, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** A whole parameter that only reads a field of the item: `={{ $json.body.prompt }}`, `={{ $json["a b"] }}`. */
const ITEM_FIELD_EXPRESSION = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\]*'|"[^"\\]*")\s*\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]/g;

/** The field names of an item-field expression, or undefined for any other value. */
export function itemFieldPath(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string') return undefined;
	const match = ITEM_FIELD_EXPRESSION.exec(raw);
	if (match === null) return undefined;
	return [...match[1].matchAll(PATH_SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3]);
}

/** The string at `path` in `json` through own properties only, or undefined (then n8n resolves the expression). */
function stringAt(json: unknown, path: readonly string[]): string | undefined {
	let value = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return typeof value === 'string' ? value : undefined;
}

/**
 * Reads node parameters per item, resolving each parameter once when it holds no expression: n8n's
 * `getNodeParameter` costs tens of microseconds per call, which dominates a cache hit on large inputs. A
 * parameter with an expression anywhere inside is still resolved for every item, with one shortcut: an expression
 * that only reads a text field of the item (`={{ $json.prompt }}`, the commonest) is read from the item directly.
 * n8n evaluates every expression in its sandbox, which costs more than the rest of a cache hit; whatever the
 * shortcut cannot answer (a missing field, a number, an object) still goes to n8n, so results and errors stay n8n's.
 */
export class ItemParameters {
	private readonly constants = new Map<string, NodeParameterValueType | object>();
	/** Per parameter, read once from the saved node: whether it holds an expression, and the item field it only reads. */
	private readonly shapes = new Map<string, { expression: boolean; fieldPath?: string[] }>();
	private items: INodeExecutionData[] | undefined;
	/** The node's parameters as saved: n8n's `getNode()` deep-copies the whole node on every call. */
	private saved: INodeParameters | undefined;

	constructor(private readonly context: IExecuteFunctions) {}

	get<T>(name: string, itemIndex: number, fallback?: T): T {
		if (this.constants.has(name)) return this.constants.get(name) as T;
		const shape = this.shapeOf(name);
		if (shape.fieldPath !== undefined) {
			this.items ??= this.context.getInputData();
			const text = stringAt(this.items[itemIndex]?.json, shape.fieldPath);
			if (text !== undefined) return text as T;
		}
		const value = this.context.getNodeParameter(name, itemIndex, fallback as never) as T;
		if (!shape.expression) this.constants.set(name, value as NodeParameterValueType);
		return value;
	}

	/** What the parameter holds as saved; `options.fileName` names a field inside a collection. */
	private shapeOf(name: string): { expression: boolean; fieldPath?: string[] } {
		let shape = this.shapes.get(name);
		if (shape === undefined) {
			this.saved ??= this.context.getNode().parameters;
			let raw: unknown = this.saved;
			for (const part of name.split('.')) raw = (raw as Record<string, unknown> | undefined)?.[part];
			shape = { expression: holdsExpression(raw), fieldPath: itemFieldPath(raw) };
			this.shapes.set(name, shape);
		}
		return shape;
	}
}
