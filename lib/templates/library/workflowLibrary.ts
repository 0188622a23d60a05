import type { Clock } from '../../shared/clock';
import { jsonByteLength, type JsonObject, type JsonValue } from '../../shared/json';
import {
	shortHash,
	templateVersion,
	validateTemplateId,
	validateTemplateInput,
	type TemplateDocument,
	type TemplateInput,
} from './templateDocument';

/** The records of lib/state's `StateStore` (`store.records`): named JSON values kept with the workflow, last writer wins. */
export interface TemplateRecords {
	get(key: string): Promise<{ value: JsonValue; updatedAt: number } | undefined>;
	set(key: string, value: JsonValue): Promise<void>;
	delete(key: string): Promise<boolean>;
	list(prefix: string): Promise<Array<{ key: string; value: JsonValue; updatedAt: number }>>;
}

export interface WorkflowLibraryOptions {
	/** Largest template body, in UTF-8 bytes. @default 16 KiB */
	maxTemplateBytes?: number;
	/**
	 * Largest library (all template records, as JSON), in bytes. Records share the records budget of the
	 * workflow's static-data snapshot (32 KiB of 64 KiB, see lib/state's `snapshotBudgets`) with settings and
	 * alert state; this default leaves them 8 KiB of it.
	 * @default 24 KiB
	 */
	maxLibraryBytes?: number;
}

export interface WorkflowLoad {
	/** Sorted by id. */
	documents: TemplateDocument[];
	/** Hash over ids and template versions: equal versions mean equal documents. */
	version: string;
	/** Records that hold no valid template (edited or foreign state), left out; `delete(id)` removes them. */
	unreadable: Array<{ key: string; reason: string }>;
}

export const TEMPLATE_KEY_PREFIX = 'template:';
export const DEFAULT_WORKFLOW_TEMPLATE_BYTES = 16 * 1024;
export const DEFAULT_WORKFLOW_LIBRARY_BYTES = 24 * 1024;

/**
 * Templates saved with the workflow itself (in its state records, key `template:<id>`), for users who cannot put
 * files on the n8n host. Saving an id that exists replaces that template.
 */
export class WorkflowLibrary {
	private readonly maxTemplateBytes: number;
	private readonly maxLibraryBytes: number;
	/** Documents already checked, by key, valid while the record's `updatedAt` is unchanged. */
	private readonly checked = new Map<string, { updatedAt: number; document: TemplateDocument }>();

	constructor(
		private readonly records: TemplateRecords,
		private readonly clock: Clock,
		options: WorkflowLibraryOptions = {},
	) {
		const { maxTemplateBytes = DEFAULT_WORKFLOW_TEMPLATE_BYTES, maxLibraryBytes = DEFAULT_WORKFLOW_LIBRARY_BYTES } = options;
		if (!Number.isInteger(maxTemplateBytes) || maxTemplateBytes < 1) {
			throw new TypeError(`Expected \`maxTemplateBytes\` to be an integer from 1 and up, got ${maxTemplateBytes}`);
		}
		if (!Number.isInteger(maxLibraryBytes) || maxLibraryBytes < 1) {
			throw new TypeError(`Expected \`maxLibraryBytes\` to be an integer from 1 and up, got ${maxLibraryBytes}`);
		}
		this.maxTemplateBytes = maxTemplateBytes;
		this.maxLibraryBytes = maxLibraryBytes;
	}

	/** Checks and stores a template (see `validateTemplateInput`), replacing one with the same id. */
	async save(input: unknown): Promise<TemplateDocument> {
		const template = validateTemplateInput(input, this.maxTemplateBytes);
		const key = templateKey(template.id);
		const value = toRecordValue(template);
		const templateBytes = key.length + jsonByteLength(value);
		// What the other templates take: a template saved again replaces its old version.
		let othersBytes = 0;
		for (const record of await this.records.list(TEMPLATE_KEY_PREFIX)) {
			if (record.key !== key) othersBytes += record.key.length + jsonByteLength(record.value);
		}
		if (othersBytes + templateBytes > this.maxLibraryBytes) {
			throw new LibraryFullError(template.id, templateBytes, othersBytes, this.maxLibraryBytes);
		}
		await this.records.set(key, value);
		return toDocument(template, this.clock.now());
	}

	/** Whether a template with this id existed. */
	async delete(id: string): Promise<boolean> {
		const key = templateKey(validateTemplateId(id));
		this.checked.delete(key);
		return this.records.delete(key);
	}

	/** The template, or `undefined`; throws if its record holds no valid template. */
	async get(id: string): Promise<TemplateDocument | undefined> {
		const key = templateKey(validateTemplateId(id));
		const record = await this.records.get(key);
		return record === undefined ? undefined : this.readRecord(key, record.value, record.updatedAt);
	}

	/** Every readable template, sorted by id. */
	async list(): Promise<TemplateDocument[]> {
		return (await this.load()).documents;
	}

	async load(): Promise<WorkflowLoad> {
		const documents: TemplateDocument[] = [];
		const unreadable: WorkflowLoad['unreadable'] = [];
		for (const record of await this.records.list(TEMPLATE_KEY_PREFIX)) {
			try {
				documents.push(this.readRecord(record.key, record.value, record.updatedAt));
			} catch (error) {
				unreadable.push({ key: record.key, reason: error instanceof Error ? error.message : String(error) });
			}
		}
		documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		const version = shortHash(JSON.stringify(documents.map((document) => [document.id, document.version])));
		return { documents, version, unreadable };
	}

	private readRecord(key: string, value: JsonValue, updatedAt: number): TemplateDocument {
		const known = this.checked.get(key);
		if (known !== undefined && known.updatedAt === updatedAt) return known.document;
		let template: TemplateInput;
		try {
			// What was saved passed the size limit then; a lower limit today must not hide it.
			template = validateTemplateInput(value, Number.POSITIVE_INFINITY);
		} catch (error) {
			throw new Error(`Template record "${key}" is unreadable: ${error instanceof Error ? error.message : error}`, { cause: error });
		}
		if (templateKey(template.id) !== key) throw new Error(`Template record "${key}" is unreadable: it holds template "${template.id}"`);
		const document = toDocument(template, updatedAt);
		this.checked.set(key, { updatedAt, document });
		return document;
	}
}

/** A save that would take the library past its budget; says what is used, what is allowed and what was asked. */
export class LibraryFullError extends Error {
	override name = 'LibraryFullError';
	readonly errorClass = 'validation' as const;
	readonly description = 'Delete templates you no longer need, shorten this one, or keep large libraries in a template folder.';
	constructor(
		readonly id: string,
		readonly templateBytes: number,
		readonly usedBytes: number,
		readonly limitBytes: number,
	) {
		super(
			`Template "${id}" takes ${templateBytes} bytes, but the workflow's template library already uses ` +
				`${usedBytes} of its ${limitBytes} bytes (${Math.max(0, limitBytes - usedBytes)} free)`,
		);
	}
}

export function templateKey(id: string): string {
	return `${TEMPLATE_KEY_PREFIX}${id}`;
}

function toRecordValue(template: TemplateInput): JsonObject {
	const { id, name, description, tags, required, format, body } = template;
	return format === undefined ? { id, name, description, tags, required, body } : { id, name, description, tags, required, format, body };
}

function toDocument(template: TemplateInput, updatedAt: number): TemplateDocument {
	return { ...template, version: templateVersion(template), source: 'workflow', updatedAt };
}
