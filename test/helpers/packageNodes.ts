import { BatchWorkflowTrigger } from '../../nodes/BatchWorkflowTrigger/BatchWorkflowTrigger.node';
import { OptimizedAiCall } from '../../nodes/OptimizedAiCall/OptimizedAiCall.node';
import { OptimizedChatModel } from '../../nodes/OptimizedChatModel/OptimizedChatModel.node';
import { PerfMonitor } from '../../nodes/PerfMonitor/PerfMonitor.node';
import { TemplatePopulate } from '../../nodes/TemplatePopulate/TemplatePopulate.node';
import { PACKAGE_PREFIX } from './nodeTypes';

/** Our package's nodes under the type names n8n gives them once the package is installed. */
export const PACKAGE_NODES = {
	[`${PACKAGE_PREFIX}.batchWorkflowTrigger`]: BatchWorkflowTrigger,
	[`${PACKAGE_PREFIX}.optimizedAiCall`]: OptimizedAiCall,
	[`${PACKAGE_PREFIX}.optimizedChatModel`]: OptimizedChatModel,
	[`${PACKAGE_PREFIX}.perfMonitor`]: PerfMonitor,
	[`${PACKAGE_PREFIX}.templatePopulate`]: TemplatePopulate,
};

export const TEMPLATE_TYPE = `${PACKAGE_PREFIX}.templatePopulate`;

export const PERF_MONITOR_TYPE = `${PACKAGE_PREFIX}.perfMonitor`;

export const AI_CALL_TYPE = `${PACKAGE_PREFIX}.optimizedAiCall`;

export const CHAT_MODEL_TYPE = `${PACKAGE_PREFIX}.optimizedChatModel`;

export const BATCH_TYPE = `${PACKAGE_PREFIX}.batchWorkflowTrigger`;
