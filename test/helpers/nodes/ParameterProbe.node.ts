import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { ItemParameters } from '../../../nodes/shared/parameters';

const outcome = (read: () => unknown) => {
	try {
		return { value: read() ?? null };
	} catch (error) {
		return { error: (error as Error).message };
	}
};

/**
 * Reads its Text parameter for every item twice: through `ItemParameters` (as our nodes do) and through n8n's
 * `getNodeParameter`, and reports both with how often `ItemParameters` went to n8n. Test-only.
 */
export class ParameterProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		group: ['transform'],
		version: 1,
		description: 'Compares our parameter reading with n8n',
		defaults: { name: 'Parameter Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let n8nReads = 0;
		const counted = new Proxy(this, {
			get: (target, property, receiver) => {
				if (property === 'getNodeParameter') {
					return (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
						n8nReads++;
						return (target.getNodeParameter as (...a: unknown[]) => unknown)(...args);
					};
				}
				const value = Reflect.get(target, property, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});
		const parameters = new ItemParameters(counted);
		const items = this.getInputData();
		const ours = items.map((_item, itemIndex) => outcome(() => parameters.get('text', itemIndex, '')));
		const n8n = items.map((_item, itemIndex) => outcome(() => this.getNodeParameter('text', itemIndex, '')));
		return [items.map((_item, itemIndex) => ({ json: { ours: ours[itemIndex], n8n: n8n[itemIndex], n8nReads }, pairedItem: { item: itemIndex } }))];
	}
}
