/**
 * The Response: status (`200 OK`), time, size, the response-schema badge and the rate-limit
 * meter; body pretty (collapsible JSON) or raw; headers with Total, Per-Page, Link and
 * X-Rate-Limit-* set apart; a "Next page" button following `Link: rel="next"`.
 */
import { useMemo, useState } from 'react';
import { Notice } from '../../ui/Notice.js';
import { Tabs } from '../../ui/Tabs.js';
import { bodyText, formatSize, header, isNotableHeader, parseLink, rateLimit, statusLine } from './model/http.js';
import { evaluateTests, passed } from './model/runner.js';
import { paramsFromUrl } from './model/url.js';
import { useExplorer, useTabScripts } from './store.js';

type View = 'pretty' | 'raw' | 'headers';

export function ResponsePanel() {
  const view = useExplorer((s) => s.response);
  const error = useExplorer((s) => s.sendError);
  const sending = useExplorer((s) => s.sending);
  const scripts = useTabScripts();
  const setDraft = useExplorer((s) => s.setDraft);
  const send = useExplorer((s) => s.send);
  const [selected, setSelected] = useState<View>('pretty');
  const text = view ? bodyText(view.response.body, view.response.body_encoding) : '';
  const parsed = useMemo(() => {
    try {
      return { ok: true as const, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false as const };
    }
  }, [text]);

  if (error)
    return (
      <section className="response" aria-label="Response">
        <Notice kind="error" testId="send-error">
          {error}
        </Notice>
      </section>
    );
  if (!view)
    return (
      <section className="response response-empty" aria-label="Response">
        <p className="muted">{sending ? 'Sending…' : 'Send a request to see the response here.'}</p>
      </section>
    );
  const r = view.response;
  const links = parseLink(header(r.headers, 'Link'));
  const limit = rateLimit(r.headers);
  const checks = evaluateTests(scripts, { status: r.status, headers: r.headers, body: text, timeMs: r.time_ms });
  const ok = r.status >= 200 && r.status < 300;
  const total = header(r.headers, 'Total');
  const perPage = header(r.headers, 'Per-Page');

  const followNext = () => {
    const next = links['next'];
    if (!next) return;
    // Keep {{variables}} in the path; take the paging parameters of the next link.
    setDraft((d) => {
      const nextParams = paramsFromUrl(next);
      const names = new Set(nextParams.map((p) => p.key));
      const params = [...d.params.filter((p) => !names.has(p.key)), ...nextParams];
      const base = d.url.split('?')[0]!;
      const query = params
        .filter((p) => p.enabled)
        .map((p) => `${p.key}=${p.value}`)
        .join('&');
      return { ...d, params, url: query ? `${base}?${query}` : base };
    });
    void send();
  };

  return (
    <section className="response" aria-label="Response">
      <div className="response-meta">
        <span className={`status ${ok ? 'status-ok' : 'status-bad'}`} data-testid="response-status">
          {statusLine(r.status, r.status_text)}
        </span>
        <span className="muted small" data-testid="response-time">
          {Math.round(r.time_ms)} ms
        </span>
        <span className="muted small" data-testid="response-size">
          {formatSize(r.size)}
        </span>
        {view.schema && view.schema.valid !== null && (
          <span
            className={`badge ${view.schema.valid ? 'badge-ok' : 'badge-bad'}`}
            data-testid="schema-badge"
            title={view.schema.errors.map((e) => `${e.path ?? ''} ${e.message}`).join('\n')}
          >
            {view.schema.valid ? 'Matches the response schema' : `Does not match the response schema (${view.schema.errors.length})`}
            {view.schema.operation_id ? ` · ${view.schema.operation_id}` : ''}
          </span>
        )}
        {view.schema && view.schema.valid === null && (
          <span className="badge" data-testid="schema-badge">
            No response schema for this operation
          </span>
        )}
        <span
          className={`badge ${passed(checks) ? 'badge-ok' : 'badge-bad'}`}
          title={checks.map((c) => `${c.pass === null ? '–' : c.pass ? '✓' : '✗'} ${c.name}: ${c.detail}`).join('\n')}
        >
          Tests {checks.filter((c) => c.pass).length}/{checks.length}
        </span>
      </div>
      {limit && (
        <div className="ratelimit">
          <label htmlFor="rate-limit-meter" className="small">
            Rate limit: {limit.remaining} of {limit.limit} left
            {limit.reset ? `, resets ${new Date(limit.reset * 1000).toLocaleTimeString()}` : ''}
          </label>
          <meter
            id="rate-limit-meter"
            min={0}
            max={limit.limit}
            value={limit.remaining}
            low={limit.limit * 0.2}
            high={limit.limit * 0.5}
            optimum={limit.limit}
          />
        </div>
      )}
      {(total !== null || links['next']) && (
        <div className="paging small">
          {total !== null && (
            <span>
              Total <strong>{total}</strong>
              {perPage !== null ? ` · Per-Page ${perPage}` : ''}
            </span>
          )}
          {links['next'] && (
            <button type="button" className="btn btn-small" onClick={followNext}>
              Next page
            </button>
          )}
        </div>
      )}
      {view.note && <Notice kind="info">{view.note}</Notice>}
      {view.resolved.authNote && <p className="muted small">Authorization: {view.resolved.authNote}</p>}
      <Tabs<View>
        label="Response body"
        selected={selected}
        onSelect={setSelected}
        tabs={[
          { key: 'pretty', label: 'Pretty' },
          { key: 'raw', label: 'Raw' },
          { key: 'headers', label: 'Response headers', badge: r.headers.length },
        ]}
      >
        {selected === 'pretty' && (
          <div className="json-view" data-testid="response-pretty">
            {parsed.ok ? <JsonNode value={parsed.value} depth={0} /> : <pre className="raw">{text}</pre>}
          </div>
        )}
        {selected === 'raw' && (
          <pre className="raw" data-testid="response-raw">
            {text}
          </pre>
        )}
        {selected === 'headers' && (
          <div className="table-wrap">
            <table className="headers-table" aria-label="Response headers">
              <tbody>
                {[...r.headers]
                  .sort(([a], [b]) => Number(isNotableHeader(b)) - Number(isNotableHeader(a)))
                  .map(([k, v], i) => (
                    <tr key={`${k}-${i}`} className={isNotableHeader(k) ? 'notable' : ''}>
                      <th scope="row">{k}</th>
                      <td className="mono">{v}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </Tabs>
    </section>
  );
}

/** Collapsible JSON: objects and arrays open to depth 2, a button folds each one. */
function JsonNode({ value, depth, name }: { value: unknown; depth: number; name?: string }) {
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span className="json-key">{JSON.stringify(name)}: </span> : null;
  if (value === null || typeof value !== 'object')
    return (
      <div className="json-line">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value as Record<string, unknown>);
  const [openCh, closeCh] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-block">
      <button
        type="button"
        className="json-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? (Array.isArray(value) ? 'array' : 'object')}`}
      >
        {open ? '▾' : '▸'}
      </button>
      {label}
      {openCh}
      {!open && (
        <span className="muted">
          {' '}
          {entries.length} {Array.isArray(value) ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}{' '}
          {closeCh}
        </span>
      )}
      {open && (
        <div className="json-children">
          {entries.map(([k, v], i) => (
            <JsonNode key={k ?? i} name={k} value={v} depth={depth + 1} />
          ))}
        </div>
      )}
      {open && <div className="json-line">{closeCh}</div>}
    </div>
  );
}
