import { canonicalJson, sha256Hex } from '../../shared/canonicalJson';
import { isPlainObject } from '../../shared/json';

export type TemplateFormat = 'text' | 'html' | 'markdown';
export type TemplateSource = 'folder' | 'workflow';

/** One template as every library hands it out, whichever source it came from. */
export interface TemplateDocument {
	id: string;
	name: string;
	description: string;
	tags: string[];
	/** Names of the variables the template needs; the renderer checks them. */
	required: string[];
	format?: TemplateFormat;
	body: string;
	/** Hash of body and metadata (12 hex): changes whenever anything a renderer or index sees changes. */
	version: string;
	source: TemplateSource;
	/** Absolute path of the file, for folder templates. */
	path?: string;
	/** Epoch ms of the last change: the file's mtime, or when the workflow record was written. */
	updatedAt: number;
}

/** What a user or a file provides; the library adds the rest. */
export type TemplateInput = Omit<TemplateDocument, 'version' | 'source' | 'updatedAt' | 'path'>;

export const TEMPLATE_FORMATS: readonly TemplateFormat[] = ['text', 'html', 'markdown'];
export const TEMPLATE_FIELDS: readonly string[] = ['id', 'name', 'description', 'tags', 'required', 'format', 'body'];
export const MAX_ID_LENGTH = 100;
export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2_000;
export const MAX_LIST_ITEMS = 100;
export const MAX_LIST_ITEM_LENGTH = 100;

const ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/** A template field holds a value that cannot be saved; `field` names it, so callers can show their own label for it. */
export class TemplateFieldError extends TypeError {
	override name = 'TemplateFieldError';
	readonly errorClass = 'validation' as const;
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

/** Throws unless `id` is 1–100 characters of letters, digits, `.`, `_` and `-` (safe in keys and file names). */
export function validateTemplateId(id: unknown): string {
	if (typeof id !== 'string' || id.length === 0) {
		throw new TemplateFieldError('id', `Expected \`id\` to be a non-empty string, got ${describeValue(id)}`);
	}
	if (id.length > MAX_ID_LENGTH) {
		throw new TemplateFieldError('id', `Expected \`id\` to have at most ${MAX_ID_LENGTH} characters, got ${id.length}`);
	}
	if (!ID_PATTERN.test(id)) {
		throw new TemplateFieldError('id', `Expected \`id\` to use only letters, digits, ".", "_" and "-", got "${id}"`);
	}
	return id;
}

/**
 * Checks a template to save (from a node's parameters or a file's front matter) and fills defaults: name = id,
 * description = '', no tags, no required variables. Lists may be arrays or comma-separated strings. Throws
 * `TypeError` naming the first bad field; unknown fields are refused so that a misspelt one is not lost silently.
 */
export function validateTemplateInput(input: unknown, maxBodyBytes: number): TemplateInput {
	if (!isPlainObject(input)) throw new TypeError(`Expected a template object, got ${describeValue(input)}`);
	for (const key of Object.keys(input)) {
		if (!TEMPLATE_FIELDS.includes(key)) {
			throw new TemplateFieldError(key, `Unknown template field "${key}"; expected one of ${TEMPLATE_FIELDS.join(', ')}`);
		}
	}
	const id = validateTemplateId(input.id);
	const name = readText(input.name ?? id, 'name', MAX_NAME_LENGTH);
	if (name.length === 0) throw new TemplateFieldError('name', 'Expected `name` to be a non-empty string');
	const description = readText(input.description ?? '', 'description', MAX_DESCRIPTION_LENGTH);
	const tags = readNameList(input.tags, 'tags');
	const required = readNameList(input.required, 'required');
	const format = readFormat(input.format);
	const body = readBody(input.body, maxBodyBytes);
	return format === undefined ? { id, name, description, tags, required, body } : { id, name, description, tags, required, format, body };
}

/** The content hash of a template: 12 hex digits of SHA-256 over its canonical JSON. */
export function templateVersion(template: TemplateInput): string {
	const { id, name, description, tags, required, format, body } = template;
	return shortHash(canonicalJson({ id, name, description, tags, required, format, body }));
}

/** 12 hex digits of SHA-256: enough to tell versions of one library apart, short enough to log. */
export function shortHash(text: string): string {
	return sha256Hex(text).slice(0, 12);
}

function readText(value: unknown, field: string, maxLength: number): string {
	if (typeof value !== 'string') throw new TemplateFieldError(field, `Expected \`${field}\` to be a string, got ${describeValue(value)}`);
	const text = value.trim();
	if (text.length > maxLength) {
		throw new TemplateFieldError(field, `Expected \`${field}\` to have at most ${maxLength} characters, got ${text.length}`);
	}
	return text;
}

/** A list of short names (tags, variables): an array of strings or one comma-separated string; trimmed, no blanks or repeats. */
function readNameList(value: unknown, field: string): string[] {
	if (value === undefined || value === null) return [];
	let items: unknown[];
	if (typeof value === 'string') items = value.split(',');
	else if (Array.isArray(value)) items = value;
	else throw new TemplateFieldError(field, `Expected \`${field}\` to be a list of strings or a comma-separated string, got ${describeValue(value)}`);
	const names: string[] = [];
	for (const [index, item] of items.entries()) {
		if (typeof item !== 'string') {
			throw new TemplateFieldError(field, `Expected \`${field}[${index}]\` to be a string, got ${describeValue(item)}`);
		}
		const name = item.trim();
		if (name.length === 0 || names.includes(name)) continue;
		if (name.length > MAX_LIST_ITEM_LENGTH) {
			throw new TemplateFieldError(field, `Expected each of \`${field}\` to have at most ${MAX_LIST_ITEM_LENGTH} characters, got "${name.slice(0, 20)}…"`);
		}
		names.push(name);
	}
	if (names.length > MAX_LIST_ITEMS) {
		throw new TemplateFieldError(field, `Expected \`${field}\` to hold at most ${MAX_LIST_ITEMS} names, got ${names.length}`);
	}
	return names;
}

function readFormat(value: unknown): TemplateFormat | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && (TEMPLATE_FORMATS as readonly string[]).includes(value)) return value as TemplateFormat;
	throw new TemplateFieldError('format', `Expected \`format\` to be one of ${TEMPLATE_FORMATS.join(', ')}, got ${describeValue(value)}`);
}

function readBody(value: unknown, maxBodyBytes: number): string {
	if (typeof value !== 'string' || value.length === 0) {
		throw new TemplateFieldError('body', `Expected \`body\` to be a non-empty string, got ${describeValue(value)}`);
	}
	const bytes = Buffer.byteLength(value, 'utf8');
	if (bytes > maxBodyBytes) throw new TemplateFieldError('body', `Expected \`body\` to take at most ${maxBodyBytes} bytes, got ${bytes}`);
	return value;
}

/** A short account of a wrong value for an error message: its type, and the value itself when it is small. */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null) return String(value);
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	return `${typeof value} ${String(value)}`;
}
