import { useState, type FormEvent } from 'react';
import { useClient } from 'urql';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { Notice } from '../../components/Notice';
import { SvgPreview } from '../../components/SvgPreview';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { formatDateTime } from '../../lib/money';

export const ProofPanelFragment = graphql(`
  fragment ProofPanel_Order on Order {
    id
    awaitingApproval
    currentProof {
      id
      number
      note
      previewSvg
      sentAt
      state
      answer {
        note
        at
      }
    }
  }
`);

const ApproveProofMutation = graphql(`
  mutation ApproveProof($input: ApproveProofInput!) {
    approveProof(input: $input) {
      order {
        id
        status
        ...ProofPanel_Order
      }
    }
  }
`);

const RequestRevisionMutation = graphql(`
  mutation RequestRevision($input: RequestRevisionInput!) {
    requestRevision(input: $input) {
      order {
        id
        status
        ...ProofPanel_Order
      }
    }
  }
`);

/** answerProblem is what the customer is told when an answer was refused. */
function answerProblem(err: ApiError): string {
  // The API words proof refusals for the customer (a newer proof, already answered …).
  if ((err.code === 'CONFLICT' || err.code === 'BAD_USER_INPUT') && err.serverMessage) return err.serverMessage;
  return messageFor(err, 'order');
}

/**
 * ProofPanel is the design proof the workshop sent: the picture, its note, and the customer's
 * answer — approve it, or ask for a revision with a note. Only the order's own link answers.
 */
export function ProofPanel(props: { order: FragmentType<typeof ProofPanelFragment>; onAnswered(): void }) {
  const o = useFragment(ProofPanelFragment, props.order);
  const client = useClient();
  const [revising, setRevising] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ text: string; field?: string } | null>(null);
  const p = o.currentProof;
  if (!p) return null;
  const pending = o.awaitingApproval && p.state === 'PENDING';

  const approve = async () => {
    if (busy) return;
    setBusy(true);
    const r = await client.mutation(ApproveProofMutation, { input: { orderId: o.id, proofId: p.id } }).toPromise();
    setBusy(false);
    if (r.error) return setProblem({ text: answerProblem(toApiError(r.error)) });
    setProblem(null);
    props.onAnswered();
  };

  const revise = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!note.trim()) return setProblem({ text: 'Tell the workshop what should change.', field: 'note' });
    setBusy(true);
    const r = await client
      .mutation(RequestRevisionMutation, { input: { orderId: o.id, proofId: p.id, note: note.trim() } })
      .toPromise();
    setBusy(false);
    if (r.error) {
      const err = toApiError(r.error);
      return setProblem({ text: answerProblem(err), field: err.field === 'note' ? 'note' : undefined });
    }
    setProblem(null);
    setNote('');
    setRevising(false);
    props.onAnswered();
  };

  return (
    <section className="proof" aria-labelledby="proof-h" data-testid="proof" data-proof={p.number} data-state={p.state}>
      <h2 id="proof-h">
        {pending ? 'Please approve your design' : 'Your design'} <span className="proof-number">· proof {p.number}</span>
      </h2>
      <div className="proof-body">
        <SvgPreview svg={p.previewSvg} alt={`Proof ${p.number} of your strap's design`} className="proof-preview" />
        <div className="proof-text">
          <p className="help">
            Sent <time dateTime={p.sentAt}>{formatDateTime(p.sentAt)}</time>
          </p>
          {p.note ? (
            <blockquote className="proof-note" data-testid="proof-note">
              {p.note}
            </blockquote>
          ) : null}
          {pending ? (
            <p>Check every detail — colours, stitching and the monogram exactly as shown. We start cutting once you approve.</p>
          ) : p.state === 'APPROVED' ? (
            <p data-testid="proof-answer">
              You approved this design{p.answer ? ` on ${formatDateTime(p.answer.at)}` : ''}: it is in production.
            </p>
          ) : p.state === 'REVISION_REQUESTED' ? (
            <p data-testid="proof-answer">
              You asked for a revision{p.answer?.note ? `: “${p.answer.note}”` : ''}. The workshop will send you a new proof.
            </p>
          ) : null}
          {problem && problem.field !== 'note' ? (
            <Notice tone="error" testId="proof-error">
              {problem.text}
            </Notice>
          ) : null}
          {pending && !revising ? (
            <div className="proof-actions">
              <button
                type="button"
                className="btn btn-primary"
                aria-disabled={busy || undefined}
                onClick={() => void approve()}
                data-testid="proof-approve"
              >
                Approve this design
              </button>
              <button type="button" className="btn" onClick={() => setRevising(true)} data-testid="proof-revise">
                Ask for a revision
              </button>
            </div>
          ) : null}
          {pending && revising ? (
            <form onSubmit={(e) => void revise(e)} noValidate>
              <div className="field">
                <label htmlFor="proof-note-input">What should change?</label>
                <textarea
                  id="proof-note-input"
                  rows={3}
                  maxLength={1000}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  aria-invalid={problem?.field === 'note' || undefined}
                  aria-describedby="proof-note-err"
                  data-testid="proof-revision-note"
                />
                <p id="proof-note-err" className="field-error">
                  {problem?.field === 'note' ? problem.text : ''}
                </p>
              </div>
              <div className="proof-actions">
                <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined} data-testid="proof-send-revision">
                  Send revision request
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setRevising(false);
                    setProblem(null);
                  }}
                >
                  Back
                </button>
              </div>
            </form>
          ) : null}
        </div>
      </div>
    </section>
  );
}
