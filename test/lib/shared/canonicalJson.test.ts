import { canonicalJson, sha256Hex, sha256HexSliced } from '../../../lib/shared/canonicalJson';
import { WorkSlicer } from '../../../lib/shared/yieldToEventLoop';
import { eventLoopTurns } from '../../helpers/eventLoopTurns';

describe('canonicalJson', () => {
	it('sorts object keys at every depth', () => {
		const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
		expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
	});

	it('serialises the same value built in different orders the same way', () => {
		const one = { model: 'm', options: { top: 1, stop: ['x'] }, messages: [{ role: 'user', content: 'hi' }] };
		const two = { messages: [{ content: 'hi', role: 'user' }], options: { stop: ['x'], top: 1 }, model: 'm' };
		expect(canonicalJson(one)).toBe(canonicalJson(two));
	});

	it('drops undefined members as JSON.stringify does', () => {
		expect(canonicalJson({ a: undefined, b: { c: undefined, d: 1 } })).toBe('{"b":{"d":1}}');
		expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
	});

	it('keeps array order, and writes undefined array items as null', () => {
		expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
		expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
		expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
	});

	it('writes primitives as JSON does', () => {
		expect(canonicalJson('text "quoted"')).toBe('"text \\"quoted\\""');
		expect(canonicalJson(0)).toBe('0');
		expect(canonicalJson(null)).toBe('null');
		expect(canonicalJson(false)).toBe('false');
	});

	it('tells null and a missing member apart', () => {
		expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
	});
});

describe('sha256Hex', () => {
	it('gives the SHA-256 digest in lower-case hex', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('sha256HexSliced', () => {
	it('gives the digest of the whole text, also when a slice ends inside a surrogate pair', async () => {
		// 1 MiB slices: the emoji's two UTF-16 units straddle the first slice end.
		const text = `${'a'.repeat((1 << 20) - 1)}\u{1F600}${'漢'.repeat(5000)}`;
		await expect(sha256HexSliced(text, new WorkSlicer())).resolves.toBe(sha256Hex(text));
		await expect(sha256HexSliced('', new WorkSlicer())).resolves.toBe(sha256Hex(''));
		await expect(sha256HexSliced('short', new WorkSlicer())).resolves.toBe(sha256Hex('short'));
	});

	it('gives the event loop a turn between slices when the time slice is up', async () => {
		const turns = eventLoopTurns();
		const text = 'x'.repeat(5 << 20);
		const digest = await sha256HexSliced(text, new WorkSlicer(0));
		turns.stop();
		expect(digest).toBe(sha256Hex(text));
		expect(turns.current()).toBeGreaterThanOrEqual(4);
	});
});
