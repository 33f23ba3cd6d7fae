import { describe, expect, it } from 'vitest';
import { matchRoute } from './router';

describe('matchRoute', () => {
  const cases: [string, string, ReturnType<typeof matchRoute>][] = [
    ['/', '', { name: 'home' }],
    ['/configure/heritage-sport', '', { name: 'configure', slug: 'heritage-sport', configurationId: undefined }],
    ['/configure/heritage-sport/cfg_1', '', { name: 'configure', slug: 'heritage-sport', configurationId: 'cfg_1' }],
    ['/configure/heritage-sport', '?c=cfg_2', { name: 'configure', slug: 'heritage-sport', configurationId: 'cfg_2' }],
    ['/checkout/cfg_1', '', { name: 'checkout', configurationId: 'cfg_1' }],
    ['/orders/42', '', { name: 'order', orderId: '42' }],
    ['/designer', '', { name: 'designer' }],
    ['/workshop', '', { name: 'workshop' }],
    ['/workshop/orders/42', '', { name: 'workshop', orderId: '42' }],
    ['/nope/x/y/z', '', { name: 'notFound' }],
  ];
  for (const [path, search, want] of cases) {
    it(`${path}${search}`, () => {
      expect(matchRoute(path, new URLSearchParams(search))).toEqual(want);
    });
  }
});
