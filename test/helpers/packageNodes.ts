import { OptimizedAiCall } from '../../nodes/OptimizedAiCall/OptimizedAiCall.node';
import { PACKAGE_PREFIX } from './nodeTypes';

/** Our package's nodes under the type names n8n gives them once the package is installed. */
export const PACKAGE_NODES = {
	[`${PACKAGE_PREFIX}.optimizedAiCall`]: OptimizedAiCall,
};

export const AI_CALL_TYPE = `${PACKAGE_PREFIX}.optimizedAiCall`;
