import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { loadChatModelSupport } from './actions/loadChatModelSupport';
import { versionDescription } from './actions/versionDescription';
import { modelListMethods } from '../shared/modelList';
import { redisCredentialTestMethods } from '../shared/stateBackend';

export class OptimizedChatModel implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { ...redisCredentialTestMethods, ...modelListMethods };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		// Loaded here, not at the top: see loadChatModelSupport.
		const { supplyChatModel } = await loadChatModelSupport(this.getNode());
		return await supplyChatModel.call(this, itemIndex);
	}
}
