import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { execute } from './actions/execute';
import { versionDescription } from './actions/versionDescription';
import { redisCredentialTestMethods } from '../shared/stateBackend';

export class OptimizedAiCall implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = redisCredentialTestMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
