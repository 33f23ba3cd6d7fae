import { describe, expect, it } from 'vitest';
import { parseCountries } from './Zones';

describe('parseCountries', () => {
  it('reads a comma, space or semicolon list into upper-case codes', () => {
    expect(parseCountries(' fr, de ch;LI ')).toEqual(['FR', 'DE', 'CH', 'LI']);
  });
  it('reads an empty list as no country', () => {
    expect(parseCountries(' , ')).toEqual([]);
  });
  it('keeps what it cannot read for the API to name', () => {
    expect(parseCountries('France')).toEqual(['FRANCE']);
  });
});
