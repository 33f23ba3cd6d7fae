import { describe, expect, it } from 'vitest';
import { describeFix, describeFixStep, describeReasons, type NameBook } from './conflict';

const names: NameBook = {
  group: (k) => ({ stitching: 'Stitching colour', lining: 'Lining', leather: 'Leather grade' } as Record<string, string>)[k] ?? k,
  option: (g, k) =>
    (
      { 'stitching/ivory': 'Ivory', 'stitching/black': 'Black', 'lining/alcantara': 'Alcantara', 'stitching/red': 'Signal red' } as Record<
        string,
        string
      >
    )[`${g}/${k}`] ?? k,
};

describe('describeFixStep', () => {
  it('a change', () =>
    expect(describeFixStep({ group: 'stitching', from: 'ivory', to: 'black', message: '' }, names)).toBe(
      'changes stitching colour from Ivory to Black',
    ));
  it('a clear', () =>
    expect(describeFixStep({ group: 'lining', from: 'alcantara', to: null, message: '' }, names)).toBe('clears lining (Alcantara)'));
  it('a set', () => expect(describeFixStep({ group: 'lining', from: null, to: 'alcantara', message: '' }, names)).toBe('sets lining to Alcantara'));
  it('falls back to the server message', () => expect(describeFixStep({ group: 'x', message: 'm' }, names)).toBe('m'));
});

describe('describeFix', () => {
  it('one step', () =>
    expect(describeFix([{ group: 'stitching', from: 'red', to: null, message: '' }], names)).toBe('This clears stitching colour (Signal red).'));
  it('several steps', () =>
    expect(
      describeFix(
        [
          { group: 'stitching', from: 'ivory', to: 'black', message: '' },
          { group: 'lining', from: 'alcantara', to: null, message: '' },
        ],
        names,
      ),
    ).toBe('This changes stitching colour from Ivory to Black and clears lining (Alcantara).'));
  it('nothing', () => expect(describeFix([], names)).toMatch(/no other change/));
});

describe('describeReasons', () => {
  it('names the choices behind a reason', () =>
    expect(
      describeReasons([{ message: 'Shell cordovan is stitched with linen only.', selections: [{ group: 'stitching', option: 'red' }] }], names),
    ).toBe('Shell cordovan is stitched with linen only. (because of Stitching colour: Signal red)'));
  it('has a default', () => expect(describeReasons([], names)).toMatch(/Not available/));
});
