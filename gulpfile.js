const path = require('node:path');
const { task, src, dest, series } = require('gulp');

// Node and credential icons and the nodes' codex files are not TypeScript, so tsc does not emit them.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false, allowEmpty: true }).pipe(
		dest(path.resolve('dist')),
	);
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.', allowEmpty: true }).pipe(dest(path.resolve('dist')));
}

task('build:icons', series(copyIcons, copyCodex));
