import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { supplyChatModel } from './actions/supplyChatModel';
import { versionDescription } from './actions/versionDescription';
import { modelListMethods } from '../shared/modelList';
import { redisCredentialTestMethods } from '../shared/stateBackend';

export class OptimizedChatModel implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { ...redisCredentialTestMethods, ...modelListMethods };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyChatModel.call(this, itemIndex);
	}
}
