import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads node parameters per item, resolving each parameter once when it holds no expression: n8n's
 * `getNodeParameter` costs tens of microseconds per call, which dominates a cache hit on large inputs. A
 * parameter with an expression anywhere inside is still resolved for every item.
 */
export class ItemParameters {
	private readonly constants = new Map<string, NodeParameterValueType | object>();

	constructor(private readonly context: IExecuteFunctions) {}

	get<T>(name: string, itemIndex: number, fallback?: T): T {
		if (this.constants.has(name)) return this.constants.get(name) as T;
		// `options.fileName` names a field inside a collection; look at that field's raw value.
		let raw: unknown = this.context.getNode().parameters;
		for (const part of name.split('.')) raw = (raw as Record<string, unknown> | undefined)?.[part];
		const value = this.context.getNodeParameter(name, itemIndex, fallback as never) as T;
		if (!holdsExpression(raw)) this.constants.set(name, value as NodeParameterValueType);
		return value;
	}
}
