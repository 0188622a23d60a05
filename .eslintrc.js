/**
 * n8n's community-node rules, per folder as n8n's node starter configures them: `community` for
 * package.json, `credentials` for credential types, `nodes` for node classes and descriptions.
 * lib/ holds plain engines; it gets the TypeScript parser and the recommended core rules only.
 */
module.exports = {
	root: true,
	env: { browser: false, es2022: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: ['.eslintrc.js', 'nodes/**/*.json', 'credentials/**/*.json', '**/*.js', '**/node_modules/**', '**/dist/**', 'test/**', 'bench/**', 'scripts/**'],
	rules: {
		'no-console': 'error',
	},
	overrides: [
		{
			files: ['package.json'],
			parserOptions: { project: null },
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: {
				// We are a self-hosted, unverified package with a few justified runtime dependencies (README, "Dependencies").
				'n8n-nodes-base/community-package-json-name-still-default': 'off',
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
			},
		},
		{
			// Named "...Trigger" by product decision, but a regular node with one input: the trigger-node rules
			// (zero inputs, trigger group) do not apply to it.
			files: ['./nodes/BatchWorkflowTrigger/**/*.ts'],
			rules: {
				'n8n-nodes-base/node-class-description-inputs-wrong-trigger-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			},
		},
	],
};
