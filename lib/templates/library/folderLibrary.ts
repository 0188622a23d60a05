import { watch, type FSWatcher, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { TextDecoder } from 'node:util';
import pLimit from 'p-limit';
import type { Clock } from '../../shared/clock';
import { parseTemplateFile, TEMPLATE_FILE_FORMATS } from './frontMatter';
import { shortHash, templateVersion, type TemplateDocument } from './templateDocument';

export interface FolderLibraryOptions {
	clock: Clock;
	/** Largest template file read, in bytes; a larger one fails the load with its name. */
	maxTemplateBytes: number;
	/** Template files a folder may hold at most. @default 10000 */
	maxFiles?: number;
	/**
	 * Watch the folder (`fs.watch`) and skip the stat pass while no event came in. Off by default: events get lost
	 * on some file systems (network mounts, some Docker bind mounts), so even when watching a full stat pass still
	 * runs every `rescanIntervalMs`. Call `close()` when done; the watcher never keeps the process alive.
	 * @default false
	 */
	watch?: boolean;
	/** With `watch`: the longest time a load trusts the watcher without a stat pass. @default 60000 */
	rescanIntervalMs?: number;
}

export interface FolderLoad {
	/** Sorted by file name. */
	documents: TemplateDocument[];
	/** Hash over file names, mtimes and sizes: equal versions mean equal documents. */
	version: string;
	/** Whether the version differs from the previous load's (always true for the first load). */
	reindexed: boolean;
	/** Files read (parsed) by this load; unchanged files are kept from the previous one. */
	filesRead: number;
}

interface LoadedFile {
	mtimeMs: number;
	size: number;
	document: TemplateDocument;
}

interface FolderEntry {
	name: string;
	stats: Stats;
}

export const DEFAULT_MAX_FILES = 10_000;
export const DEFAULT_RESCAN_INTERVAL_MS = 60_000;
/** Files stat'ed or read at once: enough to hide disk latency, few enough to stay clear of the open-file limit. */
const IO_CONCURRENCY = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The templates in one folder: its `.hbs`, `.md`, `.html` and `.txt` files, not its subfolders, nor files whose
 * name starts with a dot. Documents stay in memory; each `load()` lists the folder and stats every file, and reads
 * again only files whose mtime or size changed. A change that keeps both (same size, on a file system with coarse
 * timestamps) goes unnoticed until the file is touched.
 *
 * Any bad file fails the whole load with an error naming it (unreadable, too large, not UTF-8, bad front matter,
 * an id used twice): a template silently left out would only surface later as "template not found". A failed load
 * changes nothing, and the next one tries again.
 */
export class FolderLibrary {
	private readonly maxFiles: number;
	private readonly rescanIntervalMs: number;
	private watchEnabled: boolean;
	private watcher: FSWatcher | undefined;
	/** Set by the watcher on any event; cleared when a stat pass starts. */
	private changedSinceScan = true;
	private lastScanAt = 0;
	private files = new Map<string, LoadedFile>();
	private current: { documents: TemplateDocument[]; version: string } | undefined;
	private pending: Promise<FolderLoad> | undefined;

	constructor(
		readonly folder: string,
		private readonly options: FolderLibraryOptions,
	) {
		const { maxTemplateBytes, maxFiles = DEFAULT_MAX_FILES, rescanIntervalMs = DEFAULT_RESCAN_INTERVAL_MS } = options;
		if (typeof folder !== 'string' || folder.length === 0) {
			throw new TypeError(`Expected \`folder\` to be a non-empty path, got ${JSON.stringify(folder)}`);
		}
		if (!Number.isInteger(maxTemplateBytes) || maxTemplateBytes < 1) {
			throw new TypeError(`Expected \`maxTemplateBytes\` to be an integer from 1 and up, got ${maxTemplateBytes}`);
		}
		if (!Number.isInteger(maxFiles) || maxFiles < 1) {
			throw new TypeError(`Expected \`maxFiles\` to be an integer from 1 and up, got ${maxFiles}`);
		}
		if (!Number.isFinite(rescanIntervalMs) || rescanIntervalMs < 0) {
			throw new TypeError(`Expected \`rescanIntervalMs\` to be a number from 0 and up, got ${rescanIntervalMs}`);
		}
		this.maxFiles = maxFiles;
		this.rescanIntervalMs = rescanIntervalMs;
		this.watchEnabled = options.watch ?? false;
	}

	/** Whether a watcher is running (it is not when `watch` is off, after `close()`, or when `fs.watch` failed). */
	get watching(): boolean {
		return this.watcher !== undefined;
	}

	/** Brings the documents up to date with the folder. Concurrent calls share one pass. */
	load(): Promise<FolderLoad> {
		if (this.pending === undefined) {
			this.pending = this.refresh().finally(() => {
				this.pending = undefined;
			});
		}
		return this.pending;
	}

	/** Stops watching; later loads run a stat pass every time. */
	close(): void {
		this.watchEnabled = false;
		this.watcher?.close();
		this.watcher = undefined;
	}

	private async refresh(): Promise<FolderLoad> {
		if (this.current !== undefined && this.watcherVouches()) {
			return { ...this.current, reindexed: false, filesRead: 0 };
		}
		// Watch before listing, so that a change made during the pass marks the next load as needing one too.
		this.startWatching();
		this.changedSinceScan = false;
		this.lastScanAt = this.options.clock.now();
		try {
			return await this.scan();
		} catch (error) {
			this.changedSinceScan = true;
			throw error;
		}
	}

	private watcherVouches(): boolean {
		return this.watcher !== undefined && !this.changedSinceScan && this.options.clock.now() - this.lastScanAt < this.rescanIntervalMs;
	}

	private async scan(): Promise<FolderLoad> {
		const limit = pLimit(IO_CONCURRENCY);
		const entries = await this.listFolder(limit);
		const files = new Map<string, LoadedFile>();
		let filesRead = 0;
		await Promise.all(
			entries.map(({ name, stats }) =>
				limit(async () => {
					const previous = this.files.get(name);
					if (previous !== undefined && previous.mtimeMs === stats.mtimeMs && previous.size === stats.size) {
						files.set(name, previous);
						return;
					}
					files.set(name, { mtimeMs: stats.mtimeMs, size: stats.size, document: await this.readTemplate(name, stats) });
					filesRead++;
				}),
			),
		);
		const documents: TemplateDocument[] = [];
		const fileById = new Map<string, string>();
		for (const { name } of entries) {
			const { document } = files.get(name) as LoadedFile;
			const other = fileById.get(document.id);
			if (other !== undefined) {
				throw new Error(`Template id "${document.id}" is used by both "${other}" and "${name}" in folder "${this.folder}"`);
			}
			fileById.set(document.id, name);
			documents.push(document);
		}
		const version = shortHash(JSON.stringify(entries.map(({ name, stats }) => [name, stats.mtimeMs, stats.size])));
		const reindexed = this.current?.version !== version;
		this.files = files;
		this.current = { documents, version };
		return { documents, version, reindexed, filesRead };
	}

	/** Template files of the folder with their stats, sorted by name. */
	private async listFolder(limit: pLimit.Limit): Promise<FolderEntry[]> {
		let names: string[];
		try {
			const dirents = await readdir(this.folder, { withFileTypes: true });
			names = dirents
				.filter((dirent) => (dirent.isFile() || dirent.isSymbolicLink()) && isTemplateFileName(dirent.name))
				.map((dirent) => dirent.name);
		} catch (error) {
			throw new Error(`Template folder "${this.folder}" ${describeFolderError(error)}`, { cause: error });
		}
		if (names.length > this.maxFiles) {
			throw new Error(`Template folder "${this.folder}" holds ${names.length} template files; at most ${this.maxFiles} are allowed`);
		}
		names.sort();
		const entries = await Promise.all(
			names.map((name) =>
				limit(async (): Promise<FolderEntry | undefined> => {
					try {
						const stats = await stat(join(this.folder, name));
						// A symbolic link to a folder is not a template.
						return stats.isFile() ? { name, stats } : undefined;
					} catch (error) {
						// Removed since the listing: it is simply gone.
						if (errorCode(error) === 'ENOENT') return undefined;
						throw new Error(`Template file "${name}" in folder "${this.folder}" cannot be read: ${errorCode(error) ?? error}`, { cause: error });
					}
				}),
			),
		);
		return entries.filter((entry): entry is FolderEntry => entry !== undefined);
	}

	private async readTemplate(name: string, stats: Stats): Promise<TemplateDocument> {
		const path = join(this.folder, name);
		const { maxTemplateBytes } = this.options;
		const tooLarge = (bytes: number) =>
			new Error(`Template file "${name}" in folder "${this.folder}" has ${bytes} bytes; at most ${maxTemplateBytes} are allowed`);
		if (stats.size > maxTemplateBytes) throw tooLarge(stats.size);
		let bytes: Buffer;
		try {
			bytes = await readFile(path);
		} catch (error) {
			throw new Error(`Template file "${name}" in folder "${this.folder}" cannot be read: ${errorCode(error) ?? error}`, { cause: error });
		}
		// It may have grown since the stat.
		if (bytes.length > maxTemplateBytes) throw tooLarge(bytes.length);
		let text: string;
		try {
			text = utf8.decode(bytes);
		} catch (error) {
			throw new Error(`Template file "${name}" in folder "${this.folder}" is not UTF-8 text`, { cause: error });
		}
		const { meta, body } = parseTemplateFile(name, text);
		return { ...meta, body, version: templateVersion({ ...meta, body }), source: 'folder', path, updatedAt: Math.round(stats.mtimeMs) };
	}

	private startWatching(): void {
		if (!this.watchEnabled || this.watcher !== undefined) return;
		let watcher: FSWatcher;
		try {
			watcher = watch(this.folder, { persistent: false });
		} catch {
			// Missing folder (the listing reports it) or no watch available (inotify limit): stat passes it is.
			return;
		}
		watcher.unref();
		watcher.on('change', () => {
			this.changedSinceScan = true;
		});
		watcher.on('error', () => {
			this.changedSinceScan = true;
			watcher.close();
			if (this.watcher === watcher) this.watcher = undefined;
		});
		this.watcher = watcher;
	}
}

function isTemplateFileName(name: string): boolean {
	return !name.startsWith('.') && TEMPLATE_FILE_FORMATS[extname(name).toLowerCase()] !== undefined;
}

function errorCode(error: unknown): string | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

function describeFolderError(error: unknown): string {
	switch (errorCode(error)) {
		case 'ENOENT':
			return 'does not exist';
		case 'ENOTDIR':
			return 'is not a folder';
		case 'EACCES':
		case 'EPERM':
			return 'cannot be read: permission denied';
		default:
			return `cannot be read: ${errorCode(error) ?? error}`;
	}
}
