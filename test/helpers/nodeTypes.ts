import type { INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

type NodeTypeClass = new () => INodeType | IVersionedNodeType;

/**
 * Real nodes from n8n-nodes-base that test workflows use around ours, loaded from n8n's own compiled code
 * on first use (loading all of n8n-nodes-base would take seconds).
 */
const N8N_BASE_NODES: Record<string, [path: string, exportName: string]> = {
	'n8n-nodes-base.manualTrigger': ['n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js', 'ManualTrigger'],
	'n8n-nodes-base.executeWorkflowTrigger': [
		'n8n-nodes-base/dist/nodes/ExecuteWorkflow/ExecuteWorkflowTrigger/ExecuteWorkflowTrigger.node.js',
		'ExecuteWorkflowTrigger',
	],
	'n8n-nodes-base.executeWorkflow': ['n8n-nodes-base/dist/nodes/ExecuteWorkflow/ExecuteWorkflow/ExecuteWorkflow.node.js', 'ExecuteWorkflow'],
	'n8n-nodes-base.noOp': ['n8n-nodes-base/dist/nodes/NoOp/NoOp.node.js', 'NoOp'],
	'n8n-nodes-base.set': ['n8n-nodes-base/dist/nodes/Set/Set.node.js', 'Set'],
};

/** Our package's node classes, by the type name n8n gives them when the package is installed. */
export const PACKAGE_PREFIX = 'n8n-nodes-perf-optimizer';

export class HarnessNodeTypes implements INodeTypes {
	private readonly instances = new Map<string, INodeType | IVersionedNodeType>();

	constructor(private readonly classes: Record<string, NodeTypeClass> = {}) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		let instance = this.instances.get(type);
		if (instance === undefined) {
			instance = this.instantiate(type);
			this.instances.set(type, instance);
		}
		return instance;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}

	private instantiate(type: string): INodeType | IVersionedNodeType {
		const own = this.classes[type];
		if (own) return new own();
		const base = N8N_BASE_NODES[type];
		if (base) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require(base[0]) as Record<string, NodeTypeClass>;
			return new module[base[1]]();
		}
		throw new Error(`Unrecognized node type: ${type} (register it with the harness)`);
	}
}
