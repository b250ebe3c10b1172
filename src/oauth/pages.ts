/**
 * Server-rendered pages of the login service: sign-in, approve, the oob "Authorization code:"
 * page and the error page. Plain HTML forms (no JavaScript needed); every reflected value is
 * escaped; the only script is the static `/oauth/assets/oob.js` (CSP `script-src 'self'`).
 * `sendHtml` adds the security headers every page carries.
 */
import type { FastifyReply } from 'fastify';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Security headers of every HTML page. `formTargets` are extra origins a form may end up at:
 * Chromium applies CSP `form-action` to the redirects that follow a form submission, so the
 * approve and login forms allow the (registered, exact) redirect URI's origin.
 */
export function sendHtml(reply: FastifyReply, status: number, html: string, formTargets: string[] = []): FastifyReply {
  const formAction = ["'self'", ...formTargets].join(' ');
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('X-Content-Type-Options', 'nosniff')
    .send(html);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f4f5f6;color:#1f2328}
header{background:#1f2328;color:#fff;padding:12px 24px;font-weight:600;letter-spacing:.02em}
header span{color:#ff6b00}
main{max-width:440px;margin:48px auto;padding:32px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
main.wide{max-width:720px}
h1{font-size:24px;margin:0 0 8px}
p{margin:8px 0 16px}
label{display:block;font-weight:600;margin:16px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:10px 12px;border:1px solid #c4c8cc;border-radius:4px;font-size:16px}
input:focus{outline:2px solid #ff6b00;border-color:#ff6b00}
button{font-size:16px;padding:10px 20px;border-radius:4px;border:1px solid #c4c8cc;background:#fff;cursor:pointer}
button.primary{background:#ff6b00;border-color:#ff6b00;color:#fff;font-weight:600}
.actions{display:flex;gap:12px;margin-top:24px}
.error{background:#fdecea;color:#8a1c12;border:1px solid #f5c2bd;padding:10px 12px;border-radius:4px}
.muted{color:#59636e;font-size:14px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.code{display:block;font-size:18px;word-break:break-all;background:#f4f5f6;border:1px solid #dde1e4;padding:12px;border-radius:4px}
pre{white-space:pre-wrap;word-break:break-all;background:#1f2328;color:#e6edf3;padding:12px;border-radius:4px;font-size:13px}
`;

function layout(title: string, body: string, options: { wide?: boolean; script?: string } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>Procore <span>Sandbox</span></header>
<main${options.wide ? ' class="wide"' : ''}>
${body}
</main>
${options.script ? `<script src="${escapeHtml(options.script)}"></script>` : ''}
</body>
</html>
`;
}

function hiddenFields(fields: ReadonlyMap<string, string>): string {
  return [...fields].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n');
}

export function loginPage(input: {
  appName: string;
  action: string;
  request: ReadonlyMap<string, string>;
  csrf: string;
  error?: string;
  /** The email typed before (kept after a failed attempt). Never the password. */
  email?: string;
}): string {
  return layout(
    'Log in to your Account',
    `<h1>Log in to your Account</h1>
<p class="muted">to continue to <strong>${escapeHtml(input.appName)}</strong></p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.action)}">
${hiddenFields(input.request)}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrf)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required${input.email ? ` value="${escapeHtml(input.email)}"` : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${input.email ? ' autofocus' : ''}>
<div class="actions"><button class="primary" type="submit">Log In</button></div>
</form>
<p class="muted">Sign in as a user of the app's Developer Sandbox company (the portal lists them and their password).</p>`,
  );
}

export function approvePage(input: {
  appName: string;
  userName: string;
  userEmail: string;
  action: string;
  request: ReadonlyMap<string, string>;
  nonce: string;
  redirectUri: string;
  /** CSRF token of the "Sign out" form (POST /oauth/logout). */
  logoutCsrf: string;
}): string {
  return layout(
    `Authorize ${input.appName}`,
    `<h1>Authorize ${escapeHtml(input.appName)}?</h1>
<p><strong>${escapeHtml(input.appName)}</strong> would like to access your Procore account and act on your behalf in the sandbox company.</p>
<p class="muted">Signed in as ${escapeHtml(input.userName)} (${escapeHtml(input.userEmail)}).<br>You will be sent to <code>${escapeHtml(input.redirectUri)}</code>.</p>
<form method="post" action="${escapeHtml(input.action)}">
${hiddenFields(input.request)}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.nonce)}">
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<form method="post" action="/oauth/logout">
<input type="hidden" name="csrf_token" value="${escapeHtml(input.logoutCsrf)}">
${hiddenFields(input.request)}
<p class="muted">Not ${escapeHtml(input.userEmail)}? <button type="submit">Sign out</button></p>
</form>`,
  );
}

export function oobPage(input: {
  appName: string;
  code: string;
  state: string | undefined;
  clientId: string;
  tokenUrl: string;
  redirectUri: string;
}): string {
  const curl = [
    `curl -X POST ${input.tokenUrl} \\`,
    `  -F grant_type=authorization_code \\`,
    `  -F code=${input.code} \\`,
    `  -F client_id=${input.clientId} \\`,
    `  -F "client_secret=$CLIENT_SECRET" \\`,
    `  -F redirect_uri=${input.redirectUri}`,
  ].join('\n');
  const stateAttr = input.state === undefined ? '' : ` data-state="${escapeHtml(input.state)}"`;
  return layout(
    'Authorization code:',
    `<h1>Authorization code:</h1>
<div id="oob" data-code="${escapeHtml(input.code)}"${stateAttr}>
<code class="code" id="code">${escapeHtml(input.code)}</code>
<div class="actions"><button type="button" class="primary" id="copy-code" data-copy="code">Copy code</button></div>
</div>
<p>Copy this code and paste it into <strong>${escapeHtml(input.appName)}</strong>. It can be used once and expires in 10 minutes.</p>
<p>To exchange it for an access token yourself (set <code>CLIENT_SECRET</code> to the app's client secret first):</p>
<pre id="curl">${escapeHtml(curl)}</pre>
<div class="actions"><button type="button" id="copy-curl" data-copy="curl">Copy command</button></div>`,
    { wide: true, script: '/oauth/assets/oob.js' },
  );
}

export function errorPage(input: { error: string; description: string }): string {
  return layout(
    'An error has occurred',
    `<h1>An error has occurred</h1>
<p class="error" role="alert"><strong>${escapeHtml(input.error)}</strong></p>
<p>${escapeHtml(input.description)}</p>
<p class="muted">Check the client_id and redirect_uri of the authorization request against the app's registration in the Developer Portal.</p>`,
  );
}

export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  const more = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${more}`);
}

/** The oob page's script: copy buttons, and hands the code to the window that opened it. */
export const OOB_SCRIPT = `(function () {
  'use strict';
  var box = document.getElementById('oob');
  if (!box) return;
  var code = box.getAttribute('data-code');
  var state = box.hasAttribute('data-state') ? box.getAttribute('data-state') : null;
  var buttons = document.querySelectorAll('button[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      var text = source ? source.textContent : '';
      var label = button.textContent;
      var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = label; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        var range = document.createRange(); range.selectNodeContents(source);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        try { document.execCommand('copy'); done(); } catch (e) {}
      }
    });
  });
  try {
    if (window.opener && !window.opener.closed) {
      // Only a window of this very origin (the API explorer) may receive the code.
      window.opener.postMessage({ type: 'procore-sandbox:oauth-code', code: code, state: state }, window.location.origin);
    }
  } catch (e) {}
})();
`;
