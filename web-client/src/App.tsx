import { useState } from 'react';
import { Link, matchRoute, usePath } from './components/router';
import { AtelierProvider } from './graphql/context';
import { ProductList } from './features/catalog/ProductList';
import { BagPage } from './features/bag/BagPage';
import { CheckoutPage } from './features/checkout/CheckoutPage';
import { ConfiguratorPage } from './features/configurator/ConfiguratorPage';
import { DesignerPage } from './features/designer/DesignerPage';
import { FindOrderPage } from './features/order/FindOrderPage';
import { OrderPage } from './features/order/OrderPage';
import { WorkshopPage } from './features/workshop/WorkshopPage';
import { SignInLink } from './features/order/SignInLink';
import { bagId, orderToken, privateLinkFromHash, staffToken } from './lib/storage';

/** App is the shell: header, the matched page with the right client, footer. */
export function App() {
  const { path, search } = usePath();
  const route = matchRoute(path, search);
  const [staff, setStaff] = useState<string | null>(() => staffToken());
  // Read on every navigation: adding to the bag or checking it out changes it.
  const bag = bagId();

  let page;
  switch (route.name) {
    case 'home':
      page = (
        <AtelierProvider>
          <ProductList />
        </AtelierProvider>
      );
      break;
    case 'configure':
      page = (
        <AtelierProvider>
          <ConfiguratorPage slug={route.slug} configurationId={route.configurationId} />
        </AtelierProvider>
      );
      break;
    case 'checkout':
      page = (
        <AtelierProvider>
          <CheckoutPage configurationId={route.configurationId} />
        </AtelierProvider>
      );
      break;
    case 'bag':
      page = (
        <AtelierProvider key={route.bagId}>
          <BagPage bagId={route.bagId} />
        </AtelierProvider>
      );
      break;
    case 'order': {
      // The private link carries the order's token in the fragment (never sent to a server):
      // opened on any device, it keeps the token for this order.
      const link = privateLinkFromHash(route.orderId, window.location.hash);
      page = link.signIn ? (
        <AtelierProvider>
          <SignInLink orderId={route.orderId} secret={link.signIn} />
        </AtelierProvider>
      ) : (
        <AtelierProvider key={route.orderId} token={orderToken(route.orderId) ?? staff}>
          <OrderPage orderId={route.orderId} />
        </AtelierProvider>
      );
      break;
    }
    case 'findOrder':
      page = (
        <AtelierProvider>
          <FindOrderPage />
        </AtelierProvider>
      );
      break;
    case 'designer':
      page = (
        <AtelierProvider key={staff ?? 'anon'} token={staff}>
          <DesignerPage token={staff} onToken={setStaff} />
        </AtelierProvider>
      );
      break;
    case 'workshop':
      page = (
        <AtelierProvider key={staff ?? 'anon'} token={staff}>
          <WorkshopPage token={staff} onToken={setStaff} orderId={route.orderId} />
        </AtelierProvider>
      );
      break;
    default:
      page = (
        <div className="page narrow">
          <h1>Nothing on this bench</h1>
          <p className="lede">The page you asked for does not exist.</p>
          <Link className="btn" href="/">
            See our straps
          </Link>
        </div>
      );
  }

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site-head">
        <Link href="/" className="wordmark" aria-label="Atelier — home">
          Atelier
        </Link>
        <nav aria-label="Main">
          <Link href="/">Straps</Link>
          <Link href="/find-order">Find my order</Link>
          {bag ? <Link href={`/bag/${encodeURIComponent(bag)}`}>Bag</Link> : null}
          <Link href="/designer">Studio</Link>
          <Link href="/workshop">Workshop</Link>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <footer className="site-foot">
        <p>Cut, stitched and finished by hand · Deposits secure your place on the bench · Free resizing within 30 days</p>
      </footer>
    </>
  );
}
