import type { PairGroup } from './differentMeaning';

/**
 * Prompt pairs that differ only in formatting: near-duplicate reuse should merge them. The last group holds
 * formatting differences the engine deliberately keeps apart (a mark that is an operator in code, brackets,
 * straight quotes), so the recall measured on this set is honest rather than 100 % by construction.
 */
export const FORMATTING_ONLY: PairGroup[] = [
	{
		name: 'case',
		pairs: [
			['summarise the quarterly sales report', 'Summarise the quarterly sales report'],
			['TURN ON THE LIGHTS IN THE KITCHEN', 'turn on the lights in the kitchen'],
			['Write A Short Poem About Autumn Leaves', 'write a short poem about autumn leaves'],
			['What is the capital of france?', 'What is the capital of France?'],
			['translate "good morning" into german', 'Translate "good morning" into German'],
			['Is it safe? it depends. explain', 'Is it safe? It depends. Explain'],
			['list three uses of python', 'List three uses of Python'],
			['how do i reset my password', 'How do I reset my password'],
		],
	},
	{
		name: 'whitespace',
		pairs: [
			['Summarise  the   review', 'Summarise the review'],
			['  Summarise the review  ', 'Summarise the review'],
			['Summarise\tthe review', 'Summarise the review'],
			['Convert 15 USD to EUR', 'Convert  15  USD  to  EUR '],
			['Explain a && b', 'Explain  a  &&  b'],
			['Name\u00a0three rivers in Spain', 'Name three rivers in Spain'],
			['Describe\u200b the weather', 'Describe the weather'],
			['\uFEFFWhat is 2 + 2?', 'What is 2 + 2?'],
		],
	},
	{
		name: 'line breaks',
		pairs: [
			['Summarise this:\nThe parcel arrived late.', 'Summarise this: The parcel arrived late.'],
			['Line one\r\nLine two', 'Line one\nLine two'],
			['Review:\n\n\nGreat product, fast delivery', 'Review:\nGreat product, fast delivery'],
			['Translate into French\n', 'Translate into French'],
			['Classify the ticket\n\nSubject: refund 15 USD', 'Classify the ticket Subject: refund 15 USD'],
			['Fix this loop:\n  for (let i = 0; i < n; i++)', 'Fix this loop: for (let i = 0; i < n; i++)'],
		],
	},
	{
		name: 'trailing punctuation',
		pairs: [
			['Summarise the review.', 'Summarise the review'],
			['Translate into French:', 'Translate into French'],
			['List the countries in Europe;', 'List the countries in Europe'],
			['Name three rivers, please', 'Name three rivers please'],
			['Write a haiku about rain...', 'Write a haiku about rain'],
			['Write a haiku about rain…', 'Write a haiku about rain.'],
			['Refund 15 USD.', 'Refund 15 USD'],
			['Set the price to 3.5.', 'Set the price to 3.5'],
			['Explain e.g. and i.e.', 'Explain e.g and i.e'],
			['Turn on dark mode.', 'turn on dark mode'],
			['Is it safe? Explain.', 'Is it safe? Explain'],
			['Hello, world', 'Hello world'],
		],
	},
	{
		name: 'typographic quotes and apostrophes',
		pairs: [
			["Don't delete the file", 'Don’t delete the file'],
			['Translate "good morning"', 'Translate “good morning”'],
			["Summarise 'the report'", 'Summarise ‘the report’'],
			["What's the user's role?", 'What’s the user’s role?'],
			['Is “A” better than “B”?', 'Is "A" better than "B"?'],
			["It's 5 o'clock", 'It’s 5 o’clock'],
		],
	},
	{
		name: 'mixed formatting',
		pairs: [
			['  summarise   THE review.\n', 'Summarise the review'],
			['What’s the status of order A1234?', "what's the status of order A1234?"],
			['Translate into French:\n“Bonjour”', 'translate into french: "Bonjour"'],
			['Convert 15 USD to EUR.', 'convert 15 USD to EUR'],
		],
	},
	{
		name: 'formatting kept apart on purpose',
		pairs: [
			['Great work!', 'Great work.'],
			['Summarise the review (briefly)', 'Summarise the review briefly'],
			["Translate 'hello' into Spanish", 'Translate hello into Spanish'],
			['Is it safe', 'Is it safe?'],
			['Write to ops , today', 'Write to ops, today'],
			['It’s 5′ long', "It's 5' long"],
		],
	},
];
