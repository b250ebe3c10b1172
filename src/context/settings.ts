/**
 * Runtime settings every part of the server reads. Resolved once from CLI flags and environment
 * (see `cli/options.ts`); tests build them with `defaultSettings()` and override what they need.
 */
export interface RateLimitSettings {
  /** Requests per app+user per hour (Procore: 3600). */
  hourly: number;
  /** Requests per app+user per 10-second spike window (Procore: 25). */
  spike: number;
  /** Set false for load tests. */
  enabled: boolean;
}

export interface Settings {
  /** Access-token lifetime in seconds (Procore: 5400). */
  tokenLifetimeSeconds: number;
  /** Authorization-code lifetime in seconds (Procore: 600). */
  codeLifetimeSeconds: number;
  rateLimit: RateLimitSettings;
  /**
   * Failed sign-ins allowed per hour per sandbox user (login service), per developer account
   * and IP (portal), and failed client authentications or unknown codes per client and IP,
   * before 429 (`--login-attempts`, `LOGIN_ATTEMPTS`).
   */
  loginAttemptsPerHour: number;
  /** The same, per IP address across accounts and clients; ×10 for loopback (`--login-attempts-per-ip`). */
  loginAttemptsPerIpPerHour: number;
  /** Maximum request body in bytes (Fastify default 1 MiB). */
  bodyLimit: number;
  /** Maximum bytes of one direct upload's file or segment (`--upload-limit <MiB>`, default 100 MiB). */
  uploadLimit: number;
  /**
   * Hosts the explorer proxy may reach besides this server: `procore.com` (it and its
   * subdomains), `*.procore.com` (subdomains only), optionally `:port` (`--proxy-allow`,
   * `PROCORE_SANDBOX_PROXY_ALLOW`; docs/explorer.md).
   */
  proxyAllowList: string[];
  /** Honour `Prefer: status=503` / `Prefer: delay=200` on the API (`--no-prefer` turns it off). */
  prefer: boolean;
  /** Requests the admin journal keeps (a ring buffer; 0 turns the journal off). */
  journalSize: number;
  /** Explorer proxy tuning; `loopbackPorts` and `resolve` (a DNS stub) exist for tests only. */
  explorerProxy?: {
    timeoutMs?: number;
    maxResponseBytes?: number;
    loopbackPorts?: number[];
    resolve?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  };
}

export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    tokenLifetimeSeconds: 5400,
    codeLifetimeSeconds: 600,
    rateLimit: { hourly: 3600, spike: 25, enabled: true },
    loginAttemptsPerHour: 100,
    loginAttemptsPerIpPerHour: 500,
    bodyLimit: 1024 * 1024,
    uploadLimit: 100 * 1024 * 1024,
    proxyAllowList: ['procore.com'],
    prefer: true,
    journalSize: 1000,
    ...overrides,
  };
}
