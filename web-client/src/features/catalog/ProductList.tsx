import { useQuery } from 'urql';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { Link } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { messageFor, toApiError } from '../../lib/errors';
import { formatMoney } from '../../lib/money';

const ProductCardFragment = graphql(`
  fragment ProductCard_Product on Product {
    id
    slug
    name
    description
    style
    basePrice {
      amount
      currency
    }
    buildDaysMin
    buildDaysMax
    editionRemaining
  }
`);

const ProductsQuery = graphql(`
  query Products {
    products(first: 24) {
      edges {
        node {
          id
          ...ProductCard_Product
        }
      }
    }
  }
`);

/** ProductList is the shop's front: every strap model to configure. */
export function ProductList() {
  const [res, reexecute] = useQuery({ query: ProductsQuery });
  const edges = res.data?.products.edges ?? [];
  return (
    <div className="page">
      <section className="hero">
        <p className="eyebrow">The Atelier · made to order</p>
        <h1>A strap cut for one wrist — yours.</h1>
        <p className="lede">
          Choose the hide, the thread and the hardware. Every strap is cut, stitched and finished by hand in our
          workshop, then checked twice before it leaves.
        </p>
      </section>
      {res.fetching && !res.data ? <Loading label="Opening the workshop" /> : null}
      {!res.data && res.error ? (
        <Notice
          tone="error"
          action={
            <button type="button" className="btn" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
              Try again
            </button>
          }
        >
          {messageFor(toApiError(res.error), 'catalog')}
        </Notice>
      ) : null}
      <ul className="products">
        {edges.map((e) => (e?.node ? <ProductCard key={e.node.id} product={e.node} /> : null))}
      </ul>
    </div>
  );
}

function ProductCard(props: { product: FragmentType<typeof ProductCardFragment> }) {
  const p = useFragment(ProductCardFragment, props.product);
  return (
    <li className="product-card">
      <StrapArt style={p.style} />
      <div className="product-card-body">
        <h2>{p.name}</h2>
        <p>{p.description}</p>
        <p className="product-meta">
          From {formatMoney(p.basePrice)} · made in {p.buildDaysMin}–{p.buildDaysMax} working days
          {p.editionRemaining != null ? ` · ${p.editionRemaining} left in this edition` : ''}
        </p>
        <Link className="btn btn-primary" href={`/configure/${encodeURIComponent(p.slug)}`} data-testid={`configure-${p.slug}`}>
          Configure the {p.name}
        </Link>
      </div>
    </li>
  );
}

/** StrapArt is a decorative silhouette for the catalogue cards. */
function StrapArt({ style }: { style: string }) {
  const dress = style === 'dress';
  const leather = dress ? '#3b2418' : '#9a4a1f';
  const thread = dress ? '#d6c29a' : '#efe6d2';
  const h = dress ? 46 : 62;
  const y = 60 - h / 2;
  return (
    <svg className="strap-art" viewBox="0 0 400 120" aria-hidden="true">
      <rect x="20" y={y} width="170" height={h} rx="10" fill={leather} />
      <rect x="210" y={y} width="170" height={h} rx={h / 2} fill={leather} />
      <rect x="28" y={y + 6} width="154" height={h - 12} rx="6" fill="none" stroke={thread} strokeDasharray="6 5" strokeWidth="2" />
      <rect x="218" y={y + 6} width="150" height={h - 12} rx={(h - 12) / 2} fill="none" stroke={thread} strokeDasharray="6 5" strokeWidth="2" />
      <rect x="6" y={y - 8} width="26" height={h + 16} rx="7" fill="none" stroke="#b9bcc0" strokeWidth="6" />
      {[260, 290, 320].map((x) => (
        <circle key={x} cx={x} cy="60" r="3.5" fill="#1f1a17" opacity=".7" />
      ))}
    </svg>
  );
}
