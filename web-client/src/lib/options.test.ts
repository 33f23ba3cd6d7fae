import { describe, expect, it } from 'vitest';
import { describeAllowed, inGroupOrder, numberSteps, optionAction, stateLabel, validateMonogram } from './options';

describe('optionAction', () => {
  it.each([
    ['AVAILABLE', 'SINGLE', true, 'select'],
    ['FORCED', 'SINGLE', true, 'select'],
    ['EXCLUDED', 'SINGLE', true, 'resolve'],
    ['SELECTED', 'SINGLE', true, 'none'],
    ['SELECTED', 'SINGLE', false, 'clear'],
    ['SELECTED', 'MULTI', false, 'clear'],
  ] as const)('%s %s required=%s → %s', (state, kind, required, want) => {
    expect(optionAction(state, kind, required)).toBe(want);
  });
});

describe('stateLabel', () => {
  it('marks forced and excluded', () => {
    expect(stateLabel('FORCED')).toBe('Only choice');
    expect(stateLabel('EXCLUDED')).toBe('Unavailable');
    expect(stateLabel('AVAILABLE')).toBeNull();
  });
});

describe('validateMonogram', () => {
  const allowed = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ.&';
  it('accepts initials', () => expect(validateMonogram('J.D', 3, allowed)).toBeNull());
  it('accepts empty (clears)', () => expect(validateMonogram('', 3, allowed)).toBeNull());
  it('rejects too long', () => expect(validateMonogram('ABCD', 3, allowed)).toBe('Up to 3 characters.'));
  it('names the bad characters once', () => expect(validateMonogram('1 1', 3, allowed)).toMatch(/^“1”, space cannot be stamped/));
  it('names the bad characters of a text that is also too long', () =>
    expect(validateMonogram('jd1!', 3, allowed)).toBe(
      '“j”, “d”, “1”, “!” cannot be stamped (allowed: A–Z, . and &). Up to 3 characters.',
    ));
  it('counts characters, not UTF-16 units', () => expect(validateMonogram('ÉÉ', 2, 'É')).toBeNull());
  it('defaults to letters, digits and space', () => expect(validateMonogram('a 1', 3, '')).toBeNull());
});

describe('describeAllowed', () => {
  it('summarises ranges', () => expect(describeAllowed('ABCDEFGHIJKLMNOPQRSTUVWXYZ.&')).toBe('A–Z, . and &'));
});

describe('numberSteps', () => {
  it('min to max by step', () => expect(numberSteps(150, 170, 5)).toEqual([150, 155, 160, 165, 170]));
  it('guards a zero step', () => expect(numberSteps(1, 3, 0)).toEqual([1, 2, 3]));
});

describe('inGroupOrder', () => {
  it('follows the page, keeping a MULTI group\'s choices together', () =>
    expect(
      inGroupOrder(
        [{ group: 'monogram' }, { group: 'extras', o: 1 }, { group: 'leather' }, { group: 'extras', o: 2 }],
        ['leather', 'extras', 'monogram'],
      ),
    ).toEqual([{ group: 'leather' }, { group: 'extras', o: 1 }, { group: 'extras', o: 2 }, { group: 'monogram' }]));
});
