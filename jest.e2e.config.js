/** End-to-end suite: a real n8n (2.40.7, or N8N_VERSION; provisioned and cached outside the clone) with this package installed. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	setupFiles: ['<rootDir>/test/helpers/env.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 600_000,
	maxWorkers: 1,
};
