/**
 * Words whose presence, absence or swap can flip what a prompt asks while barely changing its letters. The
 * guards require two prompts to contain the same of these words in the same order before they may merge, so
 * the lists are generous on purpose: a word listed needlessly only costs a missed merge, a word missing can
 * cost a wrong answer. Words are lower case without apostrophes ("don't" is looked up as "dont").
 */

/** Negations. English in full; the commonest ones of German, French, Spanish, Italian, Portuguese and Dutch. */
const NEGATIONS = [
	'not', 'no', 'never', 'none', 'nothing', 'nobody', 'noone', 'nowhere', 'neither', 'nor', 'without', 'except',
	'excluding', 'unless', 'cannot', 'nope', 'nay', 'non', 'hardly', 'barely', 'scarcely',
	// Contractions written without their apostrophe; with it, any "n't" word is a negation (see guards).
	'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'wont', 'wouldnt', 'shouldnt', 'couldnt',
	'mustnt', 'hasnt', 'havent', 'hadnt', 'cant', 'neednt', 'mightnt', 'shant', 'aint', 'darent', 'oughtnt',
	// de
	'nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nie', 'niemals', 'nichts', 'niemand', 'ohne',
	// fr
	'ne', 'pas', 'jamais', 'rien', 'aucun', 'aucune', 'personne', 'sans', 'ni',
	// es, it, pt
	'nunca', 'nada', 'nadie', 'ninguno', 'ninguna', 'sin', 'tampoco', 'mai', 'niente', 'nulla', 'nessuno',
	'nessuna', 'senza', 'não', 'nenhum', 'nenhuma', 'sem',
	// nl
	'niet', 'geen', 'nooit', 'niets', 'zonder',
];

/**
 * Verbs that have an opposite, listed in their base form; their -s, -ed, -ing forms are added below
 * ("disabling notifications" must not merge with "enabling notifications").
 */
const VERBS_WITH_OPPOSITES = [
	'enable', 'disable', 'activate', 'deactivate', 'toggle', 'increase', 'decrease', 'raise',
	'lower', 'reduce', 'add', 'remove', 'insert', 'delete', 'create', 'destroy', 'allow', 'deny', 'permit',
	'forbid', 'prohibit', 'block', 'unblock', 'accept', 'reject', 'approve', 'decline', 'refuse', 'include',
	'exclude', 'open', 'close', 'start', 'stop', 'begin', 'end', 'finish', 'pause', 'resume', 'show', 'hide',
	'lock', 'unlock', 'buy', 'sell', 'win', 'lose', 'pass', 'fail', 'succeed', 'import', 'export', 'upload',
	'download', 'send', 'receive', 'push', 'pull', 'connect', 'disconnect', 'subscribe', 'unsubscribe', 'follow',
	'unfollow', 'encrypt', 'decrypt', 'compress', 'decompress', 'encode', 'decode', 'like', 'dislike', 'love',
	'hate', 'agree', 'disagree', 'keep', 'drop', 'grant', 'revoke', 'attach', 'detach', 'mount', 'unmount',
	'install', 'uninstall', 'load', 'unload', 'save', 'discard', 'confirm', 'cancel', 'select', 'deselect',
	'check', 'uncheck', 'mark', 'unmark', 'pin', 'unpin', 'mute', 'unmute', 'archive', 'unarchive', 'publish',
	'unpublish', 'hold', 'release', 'expand', 'collapse', 'grow', 'shrink', 'gain', 'rise', 'fall', 'maximize',
	'minimize', 'maximise', 'minimise', 'ascend', 'descend', 'credit', 'debit', 'charge', 'refund', 'deposit',
	'withdraw', 'lend', 'borrow', 'pay', 'freeze', 'unfreeze', 'set', 'unset', 'undo', 'redo', 'reverse',
	'invert', 'filter', 'ignore', 'skip', 'require', 'forget', 'remember', 'fix',
	'break',
];

/** Irregular forms the suffix rules below do not produce. */
const IRREGULAR_VERB_FORMS = [
	'sold', 'bought', 'won', 'lost', 'began', 'begun', 'hid', 'hidden', 'shown', 'rose', 'risen', 'fell', 'fallen',
	'forbade', 'forbidden', 'undid', 'undone', 'kept', 'sent', 'held', 'grew', 'grown', 'shrank', 'shrunk', 'lent',
	'paid', 'froze', 'frozen', 'forgot', 'forgotten', 'broke', 'broken',
];

/** Particles, adjectives, adverbs, quantifiers, connectives and modals that flip or scope a meaning. */
const OTHER_POLARITY_WORDS = [
	'on', 'off', 'up', 'down', 'in', 'out', 'inside', 'outside', 'into', 'over', 'under', 'above', 'below',
	'before', 'after', 'earlier', 'later', 'early', 'late', 'yes', 'true', 'false', 'correct', 'incorrect',
	'right', 'wrong', 'left', 'valid', 'invalid', 'visible', 'invisible', 'public', 'private', 'positive',
	'negative', 'plus', 'minus', 'more', 'less', 'fewer', 'most', 'least', 'high', 'higher', 'highest', 'low',
	'lowest', 'great', 'greater', 'greatest', 'small', 'smaller', 'smallest', 'large', 'larger', 'largest', 'big',
	'bigger', 'biggest', 'max', 'min', 'maximum', 'minimum', 'always', 'sometimes', 'often', 'usually', 'rarely',
	'seldom', 'all', 'any', 'some', 'every', 'each', 'both', 'either', 'only', 'few', 'many', 'much', 'several',
	'last', 'next', 'previous', 'prior', 'former', 'latter', 'ascending', 'descending', 'asc', 'desc', 'forward',
	'forwards', 'backward', 'backwards', 'old', 'new', 'older', 'newer', 'oldest', 'newest', 'past', 'future',
	'top', 'bottom', 'upper', 'uppercase', 'lowercase', 'hot', 'cold', 'warm', 'cool', 'fast', 'slow', 'faster',
	'slower', 'safe', 'unsafe', 'secure', 'insecure', 'legal', 'illegal', 'possible', 'impossible', 'likely',
	'unlikely', 'same', 'different', 'equal', 'unequal', 'opposite', 'inverse', 'good', 'bad', 'better', 'worse',
	'best', 'worst', 'success', 'successful', 'failure', 'unsuccessful', 'pro', 'pros', 'con', 'cons', 'against',
	'with', 'and', 'or', 'but', 'if', 'instead', 'may', 'might', 'must', 'can', 'could', 'should', 'shall', 'will',
	'would', 'long', 'short', 'bull', 'bear', 'bullish', 'bearish', 'inbound', 'outbound', 'incoming', 'outgoing',
	'input', 'output', 'internal', 'external', 'local', 'remote', 'online', 'offline', 'light', 'dark', 'black',
	'white', 'north', 'south', 'east', 'west', 'horizontal', 'vertical', 'active', 'inactive', 'available',
	'unavailable', 'optional', 'mandatory', 'strict', 'loose', 'exact', 'approximate', 'male', 'female', 'loss',
	'profit', 'empty', 'full', 'entire', 'partial', 'partially', 'fully',
];

/** Words for quantities: part of the number sequence, not of the polarity words (see guards). */
const NUMBER_WORD_LIST = [
	'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
	'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty',
	'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand', 'million', 'billion', 'trillion',
	'tens', 'dozens', 'hundreds', 'thousands', 'millions', 'billions', 'trillions', 'dozen', 'half', 'halves',
	'quarter', 'quarters', 'third', 'thirds', 'double', 'triple', 'quadruple', 'twice', 'thrice', 'once',
	'single', 'first', 'second', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh',
	'twelfth', 'twentieth', 'hundredth', 'thousandth', 'percent', 'percentage',
];

/** The -s, -ed and -ing forms of a regular verb, over-generating rather than missing one. */
function verbForms(base: string): string[] {
	const forms = [base];
	if (/[^aeiou]y$/.test(base)) {
		const stem = base.slice(0, -1);
		forms.push(`${stem}ies`, `${stem}ied`, `${base}ing`);
	} else if (base.endsWith('e')) {
		forms.push(`${base}s`, `${base}d`, `${base.slice(0, -1)}ing`);
	} else {
		forms.push(`${base}s`, `${base}es`, `${base}ed`, `${base}ing`);
		// Short verbs ending consonant-vowel-consonant double the last letter: stop, stopped, stopping.
		if (/(?:^|[^aeiou])[aeiou][bdgklmnprt]$/.test(base)) {
			const last = base[base.length - 1];
			forms.push(`${base}${last}ed`, `${base}${last}ing`);
		}
	}
	return forms;
}

export const POLARITY_WORDS: ReadonlySet<string> = new Set([
	...NEGATIONS,
	...VERBS_WITH_OPPOSITES.flatMap(verbForms),
	...IRREGULAR_VERB_FORMS,
	...OTHER_POLARITY_WORDS,
]);

export const NUMBER_WORDS: ReadonlySet<string> = new Set(NUMBER_WORD_LIST);
