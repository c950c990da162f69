// RFC 4180 output with formula defusing (src/core/csv.ts), shared by
// statements, the hand-over package and operator reports.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { csvField, csvText } from '../../../src/core/csv.js';

test('quotes fields with commas, quotes and line breaks; null is empty; numbers stay numbers', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(-5), '-5');
  assert.equal(csvText([['a', 'b'], [1, null]]), 'a,b\r\n1,\r\n');
});

test('text a spreadsheet would run as a formula is defused with a leading quote', () => {
  for (const s of ['=cmd|calc', '+1', '-1+2', '@SUM(A1)', '\tx']) assert.equal(csvField(s)[0] === '"' ? csvField(s)[1] : csvField(s)[0], "'", s);
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
});
