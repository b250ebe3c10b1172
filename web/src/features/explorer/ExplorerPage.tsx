import { Link } from 'react-router';

/** Placeholder until the API Explorer lands (product.md §3.7). */
export function ExplorerPage() {
  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>API Explorer</h1>
      </div>
      <section className="card" data-testid="explorer-placeholder">
        <h2>Coming soon</h2>
        <p>
          The in-browser explorer (request builder, history, collections, environments and OAuth 2.0 token management) is on its way. Until
          then, import your app’s collection and environment into Postman, or run them with Newman — the links are on each app’s page.
        </p>
        <p>
          <Link to="/">Back to My Apps</Link>
        </p>
      </section>
    </main>
  );
}
