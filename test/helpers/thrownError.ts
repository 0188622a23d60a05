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

/** The error `promise` rejects with, checked to be a `type`; fails the test when it resolves or rejects with something else. */
export async function rejectionOf<T extends Error>(type: abstract new (...args: never[]) => T, promise: Promise<unknown>): Promise<T> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(type);
		return error as T;
	}
	throw new Error(`Expected a ${type.name}`);
}
