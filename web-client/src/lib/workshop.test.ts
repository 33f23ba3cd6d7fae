import { describe, expect, it } from 'vitest';
import { canRequestBalance, isOverdue, movesFor, parseAmount, formatAmountInput, queueWhere, withStatus } from './workshop';

describe('parseAmount', () => {
  const cases: [string, string, string, number | null][] = [
    ['whole', '120', 'USD', 12000],
    ['cents', '120.50', 'USD', 12050],
    ['one decimal', '0.5', 'USD', 50],
    ['grouping', '1,234.56', 'USD', 123456],
    ['too many decimals', '1.234', 'USD', null],
    ['yen has none', '1500', 'JPY', 1500],
    ['yen refuses decimals', '15.5', 'JPY', null],
    ['zero', '0', 'USD', null],
    ['negative', '-5', 'USD', null],
    ['words', 'ten', 'USD', null],
    ['empty', '', 'USD', null],
  ];
  for (const [name, text, currency, want] of cases) it(name, () => expect(parseAmount(text, currency)).toBe(want));
  it('round-trips formatAmountInput', () => {
    for (const minor of [1, 99, 100, 12050, 123456789]) expect(parseAmount(formatAmountInput(minor, 'USD'), 'USD')).toBe(minor);
  });
});

describe('movesFor', () => {
  it('places: confirm or cancel', () =>
    expect(movesFor('PLACED', ['CONFIRMED', 'CANCELLED'])).toEqual({ forward: ['CONFIRMED'], sendBack: false, cancel: true }));
  it('quality check: ship or send back', () =>
    expect(movesFor('QUALITY_CHECK', ['SHIPPED', 'CRAFTING'])).toEqual({ forward: ['SHIPPED'], sendBack: true, cancel: false }));
  it('final states offer nothing', () => expect(movesFor('DELIVERED', [])).toEqual({ forward: [], sendBack: false, cancel: false }));
});

describe('isOverdue', () => {
  const latest = '2026-11-20';
  it('not on the last day itself', () => expect(isOverdue({ status: 'CRAFTING', shipsLatest: latest }, new Date(2026, 10, 20, 23, 59))).toBe(false));
  it('the day after', () => expect(isOverdue({ status: 'CRAFTING', shipsLatest: latest }, new Date(2026, 10, 21, 0, 1))).toBe(true));
  it('never once shipped', () => expect(isOverdue({ status: 'SHIPPED', shipsLatest: latest }, new Date('2027-01-01'))).toBe(false));
});

describe('queueWhere', () => {
  it('is empty without filters', () => expect(queueWhere({ productId: '', from: '', to: '', search: ' ' })).toEqual({}));
  it('searches number, e-mail and name', () => {
    const w = queueWhere({ productId: '7', from: '', to: '', search: 'ada@' });
    expect(w).toEqual({
      and: [
        { hasProductWith: [{ id: '7' }] },
        { or: [{ numberContainsFold: 'ada@' }, { customerEmailContainsFold: 'ada@' }, { customerNameContainsFold: 'ada@' }] },
      ],
    });
  });
  it('makes the end date inclusive', () => {
    const w = queueWhere({ productId: '', from: '2026-11-02', to: '2026-11-02', search: '' }) as { and: Record<string, string>[] };
    const from = new Date(w.and[0].createdAtGTE);
    const to = new Date(w.and[1].createdAtLT);
    expect(to.getTime() - from.getTime()).toBe(24 * 3600 * 1000);
  });
  it('adds the status', () => {
    expect(withStatus({}, 'PLACED')).toEqual({ and: [{ status: 'PLACED' }] });
    expect(withStatus({}, 'ACTIVE')).toEqual({ and: [{ statusNotIn: ['SHIPPED', 'DELIVERED', 'CANCELLED'] }] });
    expect(withStatus({ and: [{ x: 1 }] }, 'ALL')).toEqual({ and: [{ x: 1 }] });
  });
});

describe('canRequestBalance', () => {
  const cases: [string, string, number, boolean][] = [
    ['placed: the deposit comes first', 'PLACED', 5000, false],
    ['confirmed with a balance', 'CONFIRMED', 5000, true],
    ['in quality check', 'QUALITY_CHECK', 1, true],
    ['paid in full', 'CRAFTING', 0, false],
    ['overpaid', 'FINISHING', -100, false],
    ['shipped', 'SHIPPED', 5000, false],
    ['cancelled', 'CANCELLED', 5000, false],
  ];
  for (const [name, status, due, want] of cases) it(name, () => expect(canRequestBalance(status, due)).toBe(want));
});
