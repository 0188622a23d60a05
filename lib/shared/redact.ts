/**
 * Removes secrets from text that may reach output, logs or metrics (provider error messages sometimes quote the
 * key they were given). Secrets shorter than 6 characters are ignored: replacing them would mangle ordinary words.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 6) continue;
		result = result.split(secret).join('[redacted]');
		// Providers often echo a masked key such as "sk-abc***wxyz": drop the visible head too.
		const head = secret.slice(0, 8);
		if (head.length >= 6) result = result.split(head).join('[redacted]');
	}
	return result;
}
