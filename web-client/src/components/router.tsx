import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A router of a few lines: the History API and a popstate listener. */

const listeners = new Set<() => void>();

/** navigate goes to a client route; replace keeps the history entry (e.g. adding an id). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((fn) => fn());
  if (!options.replace) window.scrollTo(0, 0);
}

/** usePath is the current location's path and query, re-rendering on navigation. */
export function usePath(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((t) => t + 1);
    listeners.add(fn);
    window.addEventListener('popstate', fn);
    return () => {
      listeners.delete(fn);
      window.removeEventListener('popstate', fn);
    };
  }, []);
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

/** Link is an anchor that navigates without a reload (modifier clicks open tabs as usual). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { onClick, ...rest } = props;
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a {...rest} onClick={handle} />;
}

/** Route is a matched route with its parameters. */
export type Route =
  | { name: 'home' }
  | { name: 'configure'; slug: string; configurationId?: string }
  | { name: 'checkout'; configurationId: string }
  | { name: 'bag'; bagId: string }
  | { name: 'order'; orderId: string }
  | { name: 'designer' }
  | { name: 'workshop'; orderId?: string }
  | { name: 'findOrder' }
  | { name: 'notFound' };

/** matchRoute maps a path (and ?c= for share links) to a route. */
export function matchRoute(path: string, search: URLSearchParams): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'configure' && parts.length >= 2 && parts.length <= 3)
    return { name: 'configure', slug: parts[1], configurationId: parts[2] ?? search.get('c') ?? undefined };
  if (parts[0] === 'checkout' && parts.length === 2) return { name: 'checkout', configurationId: parts[1] };
  if (parts[0] === 'bag' && parts.length === 2) return { name: 'bag', bagId: parts[1] };
  if (parts[0] === 'orders' && parts.length === 2) return { name: 'order', orderId: parts[1] };
  if (parts[0] === 'designer' && parts.length === 1) return { name: 'designer' };
  if (parts[0] === 'workshop' && parts.length === 1) return { name: 'workshop' };
  if (parts[0] === 'workshop' && parts.length === 3 && parts[1] === 'orders') return { name: 'workshop', orderId: parts[2] };
  if (parts[0] === 'find-order' && parts.length === 1) return { name: 'findOrder' };
  return { name: 'notFound' };
}
