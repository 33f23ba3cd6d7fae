import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { messageFor, toApiError } from '../lib/errors';
import { setStaffToken } from '../lib/storage';
import { Link } from './router';
import { Notice } from './Notice';
import { Loading } from './Spinner';

const ViewerQuery = graphql(`
  query StaffViewer {
    viewer {
      name
      role
    }
  }
`);

/** Role is a staff role. */
export type Role = 'DESIGNER' | 'WORKSHOP';

const PLACES: Record<Role, { title: string; href: string; does: string }> = {
  DESIGNER: { title: 'Catalogue studio', href: '/designer', does: 'edits the catalogue: products, options, prices, rules and publishing' },
  WORKSHOP: { title: 'Workshop', href: '/workshop', does: 'runs orders: the queue, payments and each step of the build' },
};

/** StaffViewer is who signed in, for the page. */
export interface StaffViewer {
  name: string;
  role: Role;
  signOut(): void;
}

/**
 * StaffGate asks for a staff token, checks its role, and renders children for the right role.
 * A token of the other role is told what it may do and where, never shown an empty page.
 */
export function StaffGate(props: {
  role: Role;
  token: string | null;
  onToken(t: string | null): void;
  children(viewer: StaffViewer): ReactNode;
}) {
  const { role, token, onToken } = props;
  if (!token) return <SignIn role={role} onToken={onToken} />;
  return <Check {...props} />;
}

function Check({ role, onToken, children }: Parameters<typeof StaffGate>[0]) {
  const [viewer] = useQuery({ query: ViewerQuery });
  const signOut = () => {
    setStaffToken(null);
    onToken(null);
  };
  const again = (
    <button className="btn" type="button" onClick={signOut}>
      Sign in again
    </button>
  );
  if (viewer.error && !viewer.data) {
    return (
      <div className="page narrow">
        <Notice tone="error" action={again}>
          {messageFor(toApiError(viewer.error), 'designer')}
        </Notice>
      </div>
    );
  }
  if (!viewer.data) return <Loading label="Checking your token" />;
  const v = viewer.data.viewer;
  if (!v) {
    return (
      <div className="page narrow">
        <Notice tone="error" action={again}>
          This token was not recognised (it may have been revoked). Please sign in again.
        </Notice>
      </div>
    );
  }
  if (v.role !== role) {
    const theirs = PLACES[v.role as Role];
    return (
      <div className="page narrow" data-testid="wrong-role">
        <p className="eyebrow">Atelier staff · {v.name}</p>
        <h1>{PLACES[role].title}</h1>
        <Notice tone="warning">
          You are signed in with a {v.role.toLowerCase()} token: it {theirs.does}. The {PLACES[role].title.toLowerCase()}{' '}
          needs a {role.toLowerCase()} token.
        </Notice>
        <div className="dialog-actions start">
          <Link className="btn btn-primary" href={theirs.href}>
            Open the {theirs.title.toLowerCase()}
          </Link>
          <button className="btn" type="button" onClick={signOut}>
            Use another token
          </button>
        </div>
      </div>
    );
  }
  return <>{children({ name: v.name, role: v.role as Role, signOut })}</>;
}

function SignIn({ role, onToken }: { role: Role; onToken(t: string): void }) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    setStaffToken(value.trim());
    onToken(value.trim());
  };
  return (
    <div className="page narrow">
      <p className="eyebrow">Atelier staff</p>
      <h1>{PLACES[role].title} sign-in</h1>
      <p className="lede">
        Paste the {role.toLowerCase()} token you were given. It stays in this tab only and is forgotten when you close it.
      </p>
      <form onSubmit={submit} className="signin">
        <div className="field">
          <label htmlFor="staff-token">Staff token</label>
          <input id="staff-token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
        <button className="btn btn-primary" type="submit">
          Sign in
        </button>
      </form>
      <p className="help">
        A token is created on the server: <code>go run ./server token create --role {role.toLowerCase()} --name "Your name"</code>
      </p>
    </div>
  );
}
