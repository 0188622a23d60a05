import { isPlainObject } from '../../shared/json';

/**
 * How far the executions of one workflow have been read. n8n lists executions newest first, by falling id, so
 * a read goes down from the newest to the last id read before. A read that stops early (an API error, the cap
 * on executions per run) leaves `resume`: the next run first finishes that stretch, from n8n's own cursor of
 * the last page read down to `downTo`, and only then moves `readUpTo` to the newest id of the stopped read.
 */
export interface ReadProgress {
	/** Every execution up to this id (in the window first read) has been read. */
	readUpTo?: string;
	resume?: { cursor: string; downTo?: string; newestId: string; startedAfter?: string };
}

/** The record key of a workflow's read progress. */
export function progressKey(workflowId: string): string {
	return `perfMonitor:executions:${workflowId}`;
}

/** A stored progress, or a fresh one when the record is missing or not of this shape (read from the window again). */
export function parseProgress(value: unknown): ReadProgress {
	if (!isPlainObject(value)) return {};
	const progress: ReadProgress = {};
	if (isExecutionId(value.readUpTo)) progress.readUpTo = value.readUpTo;
	const resume = value.resume;
	if (isPlainObject(resume) && typeof resume.cursor === 'string' && isExecutionId(resume.newestId)) {
		progress.resume = { cursor: resume.cursor, newestId: resume.newestId };
		if (isExecutionId(resume.downTo)) progress.resume.downTo = resume.downTo;
		if (typeof resume.startedAfter === 'string') progress.resume.startedAfter = resume.startedAfter;
	}
	return progress;
}

/** n8n's execution ids are increasing integers (sent as strings). */
export function isExecutionId(value: unknown): value is string {
	return typeof value === 'string' && /^\d{1,15}$/.test(value);
}

/** Whether execution `id` is at or below `floor` (already read); ids compare as numbers, not text. */
export function atOrBelow(id: string, floor: string | undefined): boolean {
	return floor !== undefined && Number(id) <= Number(floor);
}
