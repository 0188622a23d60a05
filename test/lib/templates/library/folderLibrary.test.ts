import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderLibrary } from '../../../../lib/templates/library';
import { ManualClock } from '../../../../lib/shared/clock';

// The module object the library reads through, so that a spy on it sees every read.
const fsPromises: typeof import('node:fs/promises') = require('node:fs/promises');

describe('FolderLibrary', () => {
	let folder: string;
	let clock: ManualClock;
	const libraries: FolderLibrary[] = [];

	const open = (options: Partial<ConstructorParameters<typeof FolderLibrary>[1]> = {}, at = folder) => {
		const library = new FolderLibrary(at, { clock, maxTemplateBytes: 10_000, ...options });
		libraries.push(library);
		return library;
	};
	const write = (name: string, text: string) => writeFile(join(folder, name), text);
	/** Gives a file an mtime of its own, so change detection does not depend on the file system's timestamp resolution. */
	const touch = (name: string, seconds: number) => utimes(join(folder, name), seconds, seconds);

	beforeEach(async () => {
		folder = await mkdtemp(join(tmpdir(), 'template-library-'));
		clock = new ManualClock();
	});

	afterEach(async () => {
		for (const library of libraries.splice(0)) library.close();
		jest.restoreAllMocks();
		await rm(folder, { recursive: true, force: true });
	});

	it('reads .hbs, .md, .html and .txt files, sorted by file name, and skips everything else', async () => {
		await write('b-welcome.md', '---\nname: Welcome\ntags: onboarding\n---\n# Hi {{name}}');
		await write('a-reminder.hbs', 'Dear {{customer}}');
		await write('c.html', '<p>x</p>');
		await write('d.txt', 'plain');
		await write('notes.json', '{}');
		await write('.hidden.md', 'secret');
		await mkdir(join(folder, 'sub.md'));
		await mkdir(join(folder, 'nested'));
		await writeFile(join(folder, 'nested', 'deep.md'), 'not read: the library is not recursive');

		const load = await open().load();

		expect(load.documents.map((document) => document.id)).toEqual(['a-reminder', 'b-welcome', 'c', 'd']);
		expect(load.documents[1]).toMatchObject({
			id: 'b-welcome',
			name: 'Welcome',
			tags: ['onboarding'],
			format: 'markdown',
			body: '# Hi {{name}}',
			source: 'folder',
			path: join(folder, 'b-welcome.md'),
			version: expect.stringMatching(/^[0-9a-f]{12}$/),
		});
		expect(load.documents[1].updatedAt).toBeGreaterThan(0);
		expect(load).toMatchObject({ reindexed: true, filesRead: 4, version: expect.stringMatching(/^[0-9a-f]{12}$/) });
	});

	it('re-reads nothing when nothing changed: same version, same documents, not reindexed', async () => {
		await write('a.txt', 'one');
		await write('b.txt', 'two');
		const library = open();
		const first = await library.load();
		const readFile = jest.spyOn(fsPromises, 'readFile');

		const second = await library.load();

		expect(second).toMatchObject({ version: first.version, reindexed: false, filesRead: 0 });
		expect(second.documents).toEqual(first.documents);
		expect(second.documents[0]).toBe(first.documents[0]);
		expect(readFile).not.toHaveBeenCalled();
	});

	it('re-reads only the file whose content and mtime changed, with a new version', async () => {
		await write('a.txt', 'one');
		await write('b.txt', 'two');
		await touch('a.txt', 1_000_000);
		await touch('b.txt', 1_000_000);
		const library = open();
		const first = await library.load();
		const readFile = jest.spyOn(fsPromises, 'readFile');

		await write('b.txt', 'two, edited');
		await touch('b.txt', 1_000_100);
		const second = await library.load();

		expect(second).toMatchObject({ reindexed: true, filesRead: 1 });
		expect(second.version).not.toBe(first.version);
		expect(second.documents[0]).toBe(first.documents[0]);
		expect(second.documents[1]).toMatchObject({ body: 'two, edited', updatedAt: 1_000_100_000 });
		expect(second.documents[1].version).not.toBe(first.documents[1].version);
		expect(readFile).toHaveBeenCalledTimes(1);
		expect(readFile).toHaveBeenCalledWith(join(folder, 'b.txt'));
	});

	it('notices a new mtime alone (same size), and added and removed files', async () => {
		await write('a.txt', 'one');
		await touch('a.txt', 1_000_000);
		const library = open();
		const first = await library.load();

		await write('a.txt', 'ONE');
		await touch('a.txt', 1_000_001);
		const edited = await library.load();
		expect(edited).toMatchObject({ reindexed: true, filesRead: 1 });
		expect(edited.documents[0].body).toBe('ONE');
		expect(edited.version).not.toBe(first.version);

		await write('b.txt', 'two');
		const added = await library.load();
		expect(added.documents.map((document) => document.id)).toEqual(['a', 'b']);
		expect(added).toMatchObject({ reindexed: true, filesRead: 1 });

		await rm(join(folder, 'a.txt'));
		const removed = await library.load();
		expect(removed.documents.map((document) => document.id)).toEqual(['b']);
		expect(removed).toMatchObject({ reindexed: true, filesRead: 0 });
	});

	it('follows symbolic links to files', async () => {
		await write('target.txt', 'linked');
		await symlink(join(folder, 'target.txt'), join(folder, 'link.txt'));
		const { documents } = await open().load();
		expect(documents.map((document) => [document.id, document.body])).toEqual([
			['link', 'linked'],
			['target', 'linked'],
		]);
	});

	it('refuses an id used by two files, naming both', async () => {
		await write('a.txt', '---\nid: shared\n---\none');
		await write('b.md', '---\nid: shared\n---\ntwo');
		await expect(open().load()).rejects.toThrow(`Template id "shared" is used by both "a.txt" and "b.md" in folder "${folder}"`);
	});

	it('names a missing folder, and a file in place of a folder', async () => {
		const missing = join(folder, 'nope');
		await expect(open({}, missing).load()).rejects.toThrow(`Template folder "${missing}" does not exist`);
		await write('file.txt', 'x');
		await expect(open({}, join(folder, 'file.txt')).load()).rejects.toThrow(/is not a folder/);
	});

	it('names a file over the size limit, and one that is not UTF-8', async () => {
		await write('big.txt', 'x'.repeat(101));
		await expect(open({ maxTemplateBytes: 100 }).load()).rejects.toThrow(`Template file "big.txt" in folder "${folder}" has 101 bytes; at most 100 are allowed`);
		await rm(join(folder, 'big.txt'));
		await writeFile(join(folder, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
		await expect(open().load()).rejects.toThrow(`Template file "latin1.txt" in folder "${folder}" is not UTF-8 text`);
	});

	it('names a file with bad front matter', async () => {
		await write('broken.md', '---\ntags: [unclosed\n---\nx');
		await expect(open().load()).rejects.toThrow(/^Template file "broken\.md": front matter is not valid YAML/);
	});

	it('refuses more template files than maxFiles', async () => {
		await write('a.txt', 'a');
		await write('b.txt', 'b');
		await expect(open({ maxFiles: 1 }).load()).rejects.toThrow(`Template folder "${folder}" holds 2 template files; at most 1 are allowed`);
	});

	it('keeps the last good documents after a failed load and tries the bad file again next time', async () => {
		await write('a.txt', 'good');
		const library = open();
		const good = await library.load();
		await write('b.txt', '---\nnope: 1\n---\nx');
		await expect(library.load()).rejects.toThrow(/unknown front matter key "nope"/);
		await expect(library.load()).rejects.toThrow(/unknown front matter key "nope"/);
		await rm(join(folder, 'b.txt'));
		expect(await library.load()).toMatchObject({ version: good.version, reindexed: false, filesRead: 0 });
	});

	it('shares one pass between concurrent loads', async () => {
		await write('a.txt', 'a');
		const library = open();
		const readFile = jest.spyOn(fsPromises, 'readFile');
		const [first, second] = await Promise.all([library.load(), library.load()]);
		expect(second).toBe(first);
		expect(readFile).toHaveBeenCalledTimes(1);
	});

	it('checks its options', () => {
		expect(() => open({ maxTemplateBytes: 0 })).toThrow('Expected `maxTemplateBytes` to be an integer from 1 and up, got 0');
		expect(() => open({ maxFiles: 1.5 })).toThrow('Expected `maxFiles` to be an integer from 1 and up, got 1.5');
		expect(() => open({}, '')).toThrow('Expected `folder` to be a non-empty path');
	});

	describe('with watch', () => {
		/** Loads until `done` holds: watch events arrive asynchronously. */
		async function loadUntil(library: FolderLibrary, done: (load: Awaited<ReturnType<FolderLibrary['load']>>) => boolean) {
			for (let attempt = 0; attempt < 100; attempt++) {
				const load = await library.load();
				if (done(load)) return load;
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			throw new Error('no change seen within 2 s');
		}

		it('skips the stat pass while no event came in, and rescans after an event', async () => {
			await write('a.txt', 'one');
			const library = open({ watch: true });
			const first = await library.load();
			expect(library.watching).toBe(true);
			const stat = jest.spyOn(fsPromises, 'stat');

			expect(await library.load()).toMatchObject({ version: first.version, reindexed: false, filesRead: 0 });
			expect(stat).not.toHaveBeenCalled();

			await write('a.txt', 'one, edited');
			const changed = await loadUntil(library, (load) => load.reindexed);
			expect(changed.documents[0].body).toBe('one, edited');
			expect(stat).toHaveBeenCalled();
		});

		it('still runs a stat pass once rescanIntervalMs has passed', async () => {
			await write('a.txt', 'one');
			const library = open({ watch: true, rescanIntervalMs: 1000 });
			await library.load();
			const stat = jest.spyOn(fsPromises, 'stat');
			clock.advance(999);
			await library.load();
			expect(stat).not.toHaveBeenCalled();
			clock.advance(1);
			await library.load();
			expect(stat).toHaveBeenCalledTimes(1);
		});

		it('stops watching on close, then stats on every load', async () => {
			await write('a.txt', 'one');
			const library = open({ watch: true });
			await library.load();
			library.close();
			expect(library.watching).toBe(false);
			const stat = jest.spyOn(fsPromises, 'stat');
			await library.load();
			expect(stat).toHaveBeenCalledTimes(1);
			expect(library.watching).toBe(false);
		});
	});
});
