/**
 * How often each UTF-16 code unit occurs in a text: kept per indexed prompt so that most candidates of similar
 * length but different content are ruled out without running Levenshtein (see `editDistanceLowerBound`).
 */
export type CharacterCounts = ReadonlyMap<number, number>;

export function countCharacters(text: string): CharacterCounts {
	const counts = new Map<number, number>();
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		counts.set(unit, (counts.get(unit) ?? 0) + 1);
	}
	return counts;
}

/**
 * A lower bound of the Levenshtein distance between the texts these counts came from.
 *
 * Let `surplus` be the units `a` has beyond `b` (summed over units) and `deficit` the units `b` has beyond `a`.
 * A deletion lowers the surplus by at most 1, an insertion the deficit by at most 1, a substitution each by at
 * most 1, and both must reach 0 for the texts to be equal; so d ≥ max(surplus, deficit). Since
 * deficit − surplus = |b| − |a|, this bound is never weaker than the length difference.
 */
export function editDistanceLowerBound(a: CharacterCounts, b: CharacterCounts): number {
	let surplus = 0;
	let deficit = 0;
	for (const [unit, countInA] of a) {
		const difference = countInA - (b.get(unit) ?? 0);
		if (difference > 0) surplus += difference;
		else deficit -= difference;
	}
	for (const [unit, countInB] of b) {
		if (!a.has(unit)) deficit += countInB;
	}
	return Math.max(surplus, deficit);
}
