import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { AhoCorasick } from '../../src/engine/aho-corasick.js';

/** A small deterministic generator, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function word(r: () => number, alphabet: string, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let w = '';
  for (let i = 0; i < n; i++) w += alphabet[Math.floor(r() * alphabet.length)];
  return w;
}

/** Every (pattern, end) occurrence by brute force. */
function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, i) => {
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) out.push(`${i}@${at + p.length}`);
  });
  return out.sort();
}

function viaAc(ac: AhoCorasick, text: string): string[] {
  const out: string[] = [];
  ac.forEach(text, (p, end) => out.push(`${p}@${end}`));
  return out.sort();
}

test('finds every occurrence, like a naive search, on random inputs', () => {
  const r = rng(7);
  for (let round = 0; round < 200; round++) {
    const alphabet = round % 3 === 0 ? 'ab' : round % 3 === 1 ? 'abc\\.' : 'abcdéü—€';
    const patterns = Array.from({ length: 1 + Math.floor(r() * 12) }, () => word(r, alphabet, 1, 5));
    const text = word(r, alphabet, 0, 60);
    const ac = new AhoCorasick(patterns);
    assert.deepEqual(viaAc(ac, text), naive(patterns, text), `patterns ${JSON.stringify(patterns)} text ${JSON.stringify(text)}`);
    assert.equal(ac.some(text), naive(patterns, text).length > 0);
  }
});

test('large pattern sets use sparse deep states and stay exact', () => {
  const r = rng(11);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const patterns = Array.from({ length: 4000 }, () => word(r, alphabet, 8, 24));
  const ac = new AhoCorasick(patterns);
  // More states than the dense budget covers, so some states are sparse.
  assert.ok(ac.cells < ac.size * 37, `cells ${ac.cells} states ${ac.size}`);
  for (let round = 0; round < 30; round++) {
    let text = word(r, alphabet, 100, 400);
    // Plant a few patterns, some overlapping the random text around them.
    for (let k = 0; k < 3; k++) {
      const p = patterns[Math.floor(r() * patterns.length)]!;
      const at = Math.floor(r() * text.length);
      text = text.slice(0, at) + p + text.slice(at);
    }
    assert.deepEqual(viaAc(ac, text), naive(patterns, text));
  }
});

test('foldCase matches as if the text were lower-cased', () => {
  const r = rng(3);
  for (let round = 0; round < 200; round++) {
    const alphabet = 'aBcDé\u0130K\u212A';
    const patterns = Array.from({ length: 1 + Math.floor(r() * 6) }, () => word(r, 'abcdék', 1, 4).toLowerCase());
    const text = word(r, alphabet, 0, 40);
    const ac = new AhoCorasick(patterns, { foldCase: true });
    const expected = naive(patterns, text.toLowerCase()).length > 0;
    assert.equal(ac.some(text), expected, `patterns ${JSON.stringify(patterns)} text ${JSON.stringify(text)}`);
    let found = false;
    ac.forEach(text, () => (found = true));
    assert.equal(found, expected);
  }
  // The Kelvin sign lower-cases to an ASCII k; the dotted capital I to i + U+0307.
  assert.ok(new AhoCorasick(['kerberos'], { foldCase: true }).some('\u212AERBEROS'));
  assert.ok(new AhoCorasick(['mimi'], { foldCase: true }).some('M\u0130MI'.replace('\u0130', 'I')));
  assert.ok(new AhoCorasick(['xi'], { foldCase: true }).some('X\u0130'));
});

test('long patterns are searched by skipping, exactly, with and without case folding', () => {
  const r = rng(17);
  for (let round = 0; round < 300; round++) {
    const alphabet = round % 2 ? 'abAB:\\.\u0130\u212Aé' : 'aAbBkKiI\u0130\u212A';
    const patterns = Array.from({ length: 1 + Math.floor(r() * 20) }, () => word(r, round % 2 ? 'ab:\\.' : 'abki', 6, 12));
    const fold = round % 3 !== 0;
    const ac = new AhoCorasick(patterns, { foldCase: fold });
    for (let k = 0; k < 5; k++) {
      let text = word(r, alphabet, 0, 200);
      if (k % 2) {
        const p = patterns[Math.floor(r() * patterns.length)]!;
        const at = Math.floor(r() * (text.length + 1));
        text = text.slice(0, at) + (fold ? p.toUpperCase() : p) + text.slice(at);
      }
      const haystack = fold ? text.toLowerCase() : text;
      // Offsets differ where `İ` lengthens the lower-cased text: compare which patterns occur, how often.
      const ids = (xs: string[]) => xs.map((x) => x.split('@')[0]).sort();
      assert.deepEqual(ids(viaAc(ac, text)), ids(naive(patterns, haystack)), `patterns ${JSON.stringify(patterns)} text ${JSON.stringify(text)}`);
      assert.equal(ac.some(text), naive(patterns, haystack).length > 0);
    }
  }
});

test('edge cases: empty text, empty pattern, duplicates, overlapping patterns', () => {
  assert.equal(new AhoCorasick(['a']).some(''), false);
  assert.equal(new AhoCorasick(['']).some('anything'), true);
  assert.deepEqual(viaAc(new AhoCorasick(['ab', 'ab']), 'xab'), ['0@3', '1@3']);
  assert.deepEqual(viaAc(new AhoCorasick(['he', 'she', 'his', 'hers']), 'ushers'), ['0@4', '1@4', '3@6']);
  assert.equal(new AhoCorasick([]).some('abc'), false);
});
