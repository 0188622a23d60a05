/** The error `run` throws, checked to be a `type`; fails the test when it throws nothing or something else. */
export function thrownError<T extends Error>(type: abstract new (...args: never[]) => T, run: () => unknown): T {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(type);
		return error as T;
	}
	throw new Error(`Expected a ${type.name}`);
}
