/**
 * The read-only RFI page an RFI's `link` opens (`/projects/{project_id}/rfis/{id}`), as Procore's
 * link opens its web UI. Data: `GET /api/portal/projects/{project_id}/rfis/{id}` (RFIs of the
 * signed-in developer's sandboxes).
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { RfiPageView } from '../../../../src/portal/rfi-view.js';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; rfi: RfiPageView };

/** The RFI's HTML body as text (the page shows it, never renders it). */
function text(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return doc.body.textContent ?? '';
}

export function RfiViewPage({ projectId, rfiId }: { projectId: number; rfiId: number }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    fetch(`/api/portal/projects/${projectId}/rfis/${rfiId}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (res) => {
        const body = (await res.json()) as { rfi?: RfiPageView; message?: string };
        if (!live) return;
        if (res.ok && body.rfi) setState({ kind: 'ok', rfi: body.rfi });
        else setState({ kind: 'error', message: body.message ?? `Error ${res.status}` });
      })
      .catch(() => live && setState({ kind: 'error', message: 'The server cannot be reached.' }));
    return () => {
      live = false;
    };
  }, [projectId, rfiId]);

  if (state.kind === 'loading')
    return (
      <main className="page" id="main">
        <p className="muted">Loading…</p>
      </main>
    );
  if (state.kind === 'error')
    return (
      <main className="page" id="main">
        <h1>RFI not available</h1>
        <p data-testid="rfi-error">{state.message}</p>
        <p>
          <Link to="/">Back to My Apps</Link>
        </p>
      </main>
    );
  const { rfi } = state;
  return (
    <main className="page" id="main" data-testid="rfi-view">
      <p className="muted small">
        {rfi.project.name} · RFI #{rfi.number}
      </p>
      <h1 data-testid="rfi-subject">{rfi.subject}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="rfi-status">{rfi.deleted ? 'In the recycle bin' : rfi.status}</dd>
        <dt>Due</dt>
        <dd>{rfi.due_date ?? '—'}</dd>
        <dt>RFI manager</dt>
        <dd>{rfi.rfi_manager ?? '—'}</dd>
        <dt>Assignees</dt>
        <dd>{rfi.assignees.join(', ') || '—'}</dd>
      </dl>
      <h2>Question</h2>
      {rfi.question ? (
        <blockquote data-testid="rfi-question">
          <p>{text(rfi.question.body)}</p>
          <footer className="muted small">
            {rfi.question.created_by ?? 'Unknown'}, {rfi.question.created_at}
          </footer>
        </blockquote>
      ) : (
        <p className="muted">No question.</p>
      )}
      <h2>Replies ({rfi.replies.length})</h2>
      {rfi.replies.map((r) => (
        <blockquote key={r.id}>
          <p>{text(r.body)}</p>
          <footer className="muted small">
            {r.created_by ?? 'Unknown'}, {r.created_at}
          </footer>
        </blockquote>
      ))}
    </main>
  );
}

/** The route's element: `/projects/:projectId/rfis/:rfiId` (web/src/routes.ts). */
export function RfiViewRoute() {
  const { projectId, rfiId } = useParams();
  return <RfiViewPage key={`${projectId}/${rfiId}`} projectId={Number(projectId)} rfiId={Number(rfiId)} />;
}
