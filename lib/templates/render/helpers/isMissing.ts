/** Whether a helper argument is absent: Handlebars passes undefined for a missing variable, data may hold null. */
export function isMissing(value: unknown): value is null | undefined {
	return value === undefined || value === null;
}
