/**
 * The Runner: sends every request of a collection or folder in order against the active
 * environment, with per-request status, time and pass/fail from the collection's test scripts
 * (read, not executed: see model/runner.ts), optionally stopping at the first failure. A 429
 * with a short Retry-After is waited out and retried once.
 */
import { useRef, useState } from 'react';
import { explorerApi } from '../../api/explorer.js';
import { Dialog } from '../../ui/Dialog.js';
import { findItem, requestsOf, testScriptsFor } from './model/collection.js';
import { bodyText, header, statusLine } from './model/http.js';
import { draftFromRequest, resolveDraft } from './model/request.js';
import { evaluateTests, passed, type Check } from './model/runner.js';
import type { ExplorerRecord, PostmanAuth, PostmanCollection } from './model/types.js';
import { resolveAuth } from './model/variables.js';
import { useExplorer } from './store.js';

interface Result {
  id: string;
  name: string;
  method: string;
  status: number | null;
  timeMs: number | null;
  checks: Check[];
  error?: string;
}

export function RunnerDialog({
  open,
  onClose,
  record,
  folderId,
}: {
  open: boolean;
  onClose: () => void;
  record: ExplorerRecord<PostmanCollection>;
  folderId: string | null;
}) {
  const environments = useExplorer((s) => s.environments);
  const environmentId = useExplorer((s) => s.environmentId);
  const [stopOnFailure, setStopOnFailure] = useState(true);
  const [results, setResults] = useState<Result[]>([]);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<number | null>(null);
  const stop = useRef(false);
  const folder = folderId ? findItem(record.data.item, folderId) : null;
  const items = requestsOf(folder ? (folder.item ?? []) : record.data.item);
  const title = `Run ${folder?.name ?? record.name}`;

  const run = async () => {
    stop.current = false;
    setRunning(true);
    setResults([]);
    setDone(null);
    const scopes = useExplorer.getState().scopes(record.id);
    let failures = 0;
    let count = 0;
    for (const { item } of items) {
      if (stop.current) break;
      const id = item.id ?? '';
      const draft = draftFromRequest(item.request);
      const inherited = resolveAuth(record.data as never, id);
      const resolved = resolveDraft(
        draft,
        scopes,
        draft.auth ? { auth: null, source: 'none' } : { auth: inherited.auth as PostmanAuth | null, source: inherited.source },
      );
      let result: Result;
      try {
        let r = await explorerApi.send(resolved.send);
        // Procore's rate limit: wait out a short Retry-After once instead of failing the run.
        const retryAfter = Number(header(r.headers, 'Retry-After'));
        if (r.status === 429 && retryAfter > 0 && retryAfter <= 30 && !stop.current) {
          setWaiting(retryAfter);
          await new Promise((done) => setTimeout(done, retryAfter * 1000));
          setWaiting(null);
          r = await explorerApi.send(resolved.send);
        }
        const checks = evaluateTests(testScriptsFor(record.data, id), {
          status: r.status,
          headers: r.headers,
          body: bodyText(r.body, r.body_encoding),
          timeMs: r.time_ms,
        });
        result = { id, name: item.name ?? 'Request', method: draft.method, status: r.status, timeMs: r.time_ms, checks };
      } catch (err) {
        result = {
          id,
          name: item.name ?? 'Request',
          method: draft.method,
          status: null,
          timeMs: null,
          checks: [{ name: 'request sent', pass: false, detail: err instanceof Error ? err.message : 'failed' }],
        };
      }
      count++;
      setResults((old) => [...old, result]);
      if (!passed(result.checks)) {
        failures++;
        if (stopOnFailure) break;
      }
    }
    setRunning(false);
    setDone(
      stop.current
        ? `Stopped after ${count} requests.`
        : failures === 0
          ? `All ${count} requests passed.`
          : `${failures} of ${count} requests failed${stopOnFailure ? ' (stopped at the first failure)' : ''}.`,
    );
  };

  return (
    <Dialog title={title} open={open} onClose={onClose} wide>
      <p className="muted small">
        {items.length} requests · environment: {environments.find((e) => e.id === environmentId)?.name ?? 'none'}. Pass/fail comes from the
        collection’s test scripts (their status, header, JSON and time assertions are read, not executed).
      </p>
      <div className="row-actions">
        <label className="checkbox">
          <input type="checkbox" checked={stopOnFailure} onChange={(e) => setStopOnFailure(e.target.checked)} /> Stop on first failure
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={running || items.length === 0}>
          {running ? 'Running…' : 'Run'}
        </button>
        {running && (
          <button type="button" className="btn" onClick={() => (stop.current = true)}>
            Stop
          </button>
        )}
      </div>
      {waiting !== null && <p className="muted small">Rate limited (429): waiting {waiting} s as Retry-After asks, then retrying.</p>}
      {done && (
        <p role="status" className={`run-summary ${results.every((r) => passed(r.checks)) ? 'ok' : 'bad'}`} data-testid="run-summary">
          {done}
        </p>
      )}
      {results.length > 0 && (
        <div className="table-wrap">
          <table className="runner-table" aria-label="Run results">
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Time</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => {
                const ok = passed(r.checks);
                return (
                  <tr key={`${r.id}-${i}`} className={ok ? 'pass' : 'fail'}>
                    <td>
                      <span className={`method-tag method-${r.method.toLowerCase()}`}>{r.method}</span> {r.name}
                    </td>
                    <td>{r.status === null ? '—' : statusLine(r.status)}</td>
                    <td>{r.timeMs === null ? '—' : `${Math.round(r.timeMs)} ms`}</td>
                    <td title={r.checks.map((c) => `${c.pass === null ? '–' : c.pass ? '✓' : '✗'} ${c.name}: ${c.detail}`).join('\n')}>
                      {ok ? 'pass' : 'fail'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
