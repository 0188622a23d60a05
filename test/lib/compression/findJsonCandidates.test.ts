import { findJsonCandidates } from '../../../lib/compression/json/findJsonCandidates';
import { seededRandom } from '../../helpers/random';

function randomValue(random: () => number, depth: number): unknown {
	const roll = random();
	if (depth > 3 || roll < 0.4) return [1.5, -2, 'text', 'é\n"', true, null, 0, 1e21][Math.floor(random() * 8)];
	const size = Math.floor(random() * 4);
	if (roll < 0.7) return Array.from({ length: size }, () => randomValue(random, depth + 1));
	return Object.fromEntries(Array.from({ length: size }, (_, index) => [`k${index}`, randomValue(random, depth + 1)]));
}

function parsesAsContainer(text: string): boolean {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null;
	} catch {
		return false;
	}
}

describe('findJsonCandidates', () => {
	it('agrees with JSON.parse on valid and one-character-mutated JSON, one line or pretty-printed', () => {
		const random = seededRandom(4);
		const mutations = '{}[],:"\\ 01-.eEtrunl';
		for (let sample = 0; sample < 4000; sample++) {
			const value = randomValue(random, 0);
			if (typeof value !== 'object' || value === null) continue;
			let text = JSON.stringify(value, null, random() < 0.5 ? 2 : undefined);
			if (random() < 0.7) {
				const at = Math.floor(random() * text.length);
				const char = mutations[Math.floor(random() * mutations.length)];
				text = random() < 0.5 ? text.slice(0, at) + char + text.slice(at + 1) : text.slice(0, at) + text.slice(at + 1);
			}
			const lines = text.split('\n').map((line) => line.trimEnd());
			const expected = /^\s*[[{]/.test(lines[0]) && parsesAsContainer(lines.join('\n'));
			expect([text, findJsonCandidates(lines).get(0) === lines.length - 1]).toEqual([text, expected]);
		}
	});

	it('finds valid blocks nested in invalid ones, at any depth', () => {
		const depth = 2000;
		// Every level lacks a comma between "1" and the next "[": only the innermost array is valid.
		const lines = [...Array(depth).fill(['[', '1']).flat(), '[', '2', ']', ...Array(depth).fill(']')];
		const candidates = findJsonCandidates(lines);
		expect([...candidates]).toEqual([[depth * 2, depth * 2 + 2]]);
	});

	it('ignores prose that merely starts with a bracket', () => {
		expect(findJsonCandidates(['[link](https://example.com)', '{ name }', '[x 3]', '{"a": 1} trailing']).size).toBe(0);
	});
});
