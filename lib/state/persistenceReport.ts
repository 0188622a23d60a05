import type { ProcessState } from './processState';
import type { MetricsQuery } from './stateStore';

/** What persisting a workflow's state to static data cost in this process since it started. */
export interface PersistenceReport {
	workflowId: string;
	/** Node executions that committed state. */
	commits: number;
	/** Of those, the ones that rewrote the snapshot (each one a static-data save by n8n). */
	writes: number;
	bytesWritten: number;
	/** Snapshot bytes written per commit, on average: what n8n saves for our state per execution. */
	bytesPerCommit: number;
}

export function persistenceReports(process: ProcessState, workflowId: string, scope: MetricsQuery['scope'] = 'workflow'): PersistenceReport[] {
	const states = scope === 'all' ? process.workflows() : [process.workflow(workflowId)];
	return states.map((state) => {
		const { commits, writes, bytesWritten } = state.persistence;
		return { workflowId: state.workflowId, commits, writes, bytesWritten, bytesPerCommit: commits === 0 ? 0 : Math.round(bytesWritten / commits) };
	});
}
