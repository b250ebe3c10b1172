/**
 * `/explorer/oauth/callback`: where the login sends the browser back with `code` and `state`.
 * Hands them to the explorer window that opened the popup (postMessage to this origin only,
 * and a BroadcastChannel in case the opener was lost), then closes itself.
 */
import { useEffect, useState } from 'react';
import { CALLBACK_CHANNEL, CODE_MESSAGE_TYPE, parseCallback } from './model/oauth.js';

export function OAuthCallbackPage() {
  const [done, setDone] = useState<'sent' | 'no-opener' | null>(null);
  useEffect(() => {
    const { code, state, error } = parseCallback(location.search);
    const message = { type: CODE_MESSAGE_TYPE, code, state, error };
    let sent = false;
    try {
      if (window.opener && !window.opener.closed) {
        window.opener.postMessage(message, location.origin);
        sent = true;
      }
    } catch {
      /* cross-origin opener: fall through */
    }
    if (typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel(CALLBACK_CHANNEL);
      channel.postMessage(message);
      channel.close();
      sent = true;
    }
    // Drop the code from the address bar and history.
    history.replaceState(null, '', location.pathname);
    setDone(sent ? 'sent' : 'no-opener');
    if (sent) window.setTimeout(() => window.close(), 300);
  }, []);
  return (
    <main className="page" id="main">
      <h1>Authorization complete</h1>
      <p data-testid="callback-status">
        {done === 'sent'
          ? 'The explorer has the code and is exchanging it. This window closes by itself.'
          : done === 'no-opener'
            ? 'Open the API Explorer and start “Get New Access Token” from there.'
            : 'Handing the code to the explorer…'}
      </p>
    </main>
  );
}
