import { describe, expect, it } from 'vitest';
import { formatBasisPoints, formatCount, formatDate, formatDelta, formatMoney, localizeAmounts } from './money';

describe('formatMoney', () => {
  const cases: [string, number, string, string][] = [
    ['cents', 12900, 'USD', '$129.00'],
    ['small', 5, 'USD', '$0.05'],
    ['zero', 0, 'USD', '$0.00'],
    ['negative discount', -645, 'USD', '-$6.45'],
    ['thousands', 123456, 'USD', '$1,234.56'],
    ['large, without float rounding', 123456789012345, 'USD', '$1,234,567,890,123.45'],
    ['no minor unit (JPY)', 1500, 'JPY', '¥1,500'],
    ['euro', 3870, 'EUR', '€38.70'],
  ];
  for (const [name, amount, currency, want] of cases) {
    it(name, () => expect(formatMoney({ amount, currency })).toBe(want));
  }
});

describe('formatDelta', () => {
  it('zero reads Included', () => expect(formatDelta({ amount: 0, currency: 'USD' })).toBe('Included'));
  it('positive', () => expect(formatDelta({ amount: 9500, currency: 'USD' })).toBe('+ $95.00'));
  it('negative', () => expect(formatDelta({ amount: -500, currency: 'USD' })).toBe('− $5.00'));
});

describe('formatBasisPoints', () => {
  it.each([
    [500, '5%'],
    [1000, '10%'],
    [1250, '12.5%'],
    [1205, '12.05%'],
  ])('%i', (bp, want) => expect(formatBasisPoints(bp)).toBe(want));
});

describe('formatCount', () => {
  it('groups big decimal strings exactly', () => expect(formatCount('123456789012345678901')).toBe('123,456,789,012,345,678,901'));
  it('leaves small ones', () => expect(formatCount('1')).toBe('1'));
  it('passes non-numbers through', () => expect(formatCount('n/a')).toBe('n/a'));
});

describe('formatDate', () => {
  it('never shifts a calendar date', () => expect(formatDate('2026-11-26')).toBe('Thu, 26 Nov 2026'));
  it('passes garbage through', () => expect(formatDate('soon')).toBe('soon'));
});

describe('localizeAmounts', () => {
  it('rewrites server amounts in the page format', () =>
    expect(localizeAmounts('Order placed: deposit of USD 70.92 due.')).toBe('Order placed: deposit of $70.92 due.'));
  it('every amount, any currency', () =>
    expect(localizeAmounts('EUR 1234.50 and JPY 1500')).toBe('€1,234.50 and ¥1,500'));
  it('leaves what is not an amount', () => expect(localizeAmounts('ABC 12.5 · AT-2026-000042')).toBe('ABC 12.5 · AT-2026-000042'));
});
