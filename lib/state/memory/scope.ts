import type { ProcessState } from '../processState';
import type { MetricsQuery } from '../stateStore';
import type { WorkflowState } from '../workflowState';

/** The workflows a report covers: the store's own, or every workflow this process holds. */
export function statesInScope(process: ProcessState, own: WorkflowState, scope: MetricsQuery['scope']): WorkflowState[] {
	return scope === 'all' ? process.workflows() : [own];
}
