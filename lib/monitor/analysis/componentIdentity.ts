import { componentKey, type ComponentCounters } from '../../metrics';

/**
 * A component as the analyses take it. Read across workflows (the "all workflows" scope), two workflows can
 * each have a node called "Ask" of the same type; a `workflowId` keeps them apart and is carried into results.
 */
export type AnalysedComponent = ComponentCounters & { workflowId?: string };

export interface ComponentIdentity {
	workflowId?: string;
	nodeType: string;
	nodeName: string;
}

/** The fields that name a component in a result; `workflowId` only when the input had one. */
export function identityOf(component: AnalysedComponent): ComponentIdentity {
	const identity: ComponentIdentity = { nodeType: component.nodeType, nodeName: component.nodeName };
	if (component.workflowId !== undefined) identity.workflowId = component.workflowId;
	return identity;
}

/** Matches a component with itself in another window. */
export function identityKey(component: AnalysedComponent): string {
	return `${component.workflowId ?? ''}\u0001${componentKey(component)}`;
}
