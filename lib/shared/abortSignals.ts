/** A signal that aborts when either does; one of them when the other is absent or the same. */
export function eitherSignal(first: AbortSignal | undefined, second: AbortSignal | undefined): AbortSignal | undefined {
	if (!first || !second || first === second) return first ?? second;
	return AbortSignal.any([first, second]);
}
