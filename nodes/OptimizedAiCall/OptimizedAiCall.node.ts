import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { modelListMethods } from '../shared/modelList';
import { redisCredentialTestMethods } from '../shared/stateBackend';

export class OptimizedAiCall implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { ...redisCredentialTestMethods, ...modelListMethods };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
