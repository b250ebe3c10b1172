/**
 * TypeBox schemas of the admin API (`/__admin/*`): one per route input and output, used to
 * validate, serialize, type the handlers and generate `/__admin/openapi.json`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_DELAY_MS } from './faults.js';

export const AdminError = Type.Object(
  { code: Type.Integer(), message: Type.String(), errors: Type.Optional(Type.Array(Type.String())), fields: Type.Optional(Type.String()) },
  { $id: 'AdminError' },
);

export const ClockView = Type.Object({
  now: Type.String({ format: 'date-time', description: "The sandbox's current time" }),
  frozen: Type.Boolean(),
});

export const SandboxView = Type.Object({
  company_id: Type.Integer(),
  project_id: Type.Integer(),
  app: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    client_id: Type.String(),
    client_secret: Type.String(),
    production_client_id: Type.String(),
  }),
  users: Type.Array(Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String() })),
  user_password: Type.String({ description: "The seeded users' shared password" }),
  created_at: Type.String(),
  reset_at: Type.Union([Type.String(), Type.Null()]),
  clock: ClockView,
});

export const CompanyParams = Type.Object({ company_id: Type.Integer({ minimum: 1, description: "The sandbox's company id" }) });
export type CompanyParams = Static<typeof CompanyParams>;

export const CreateSandboxBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type CreateSandboxBody = Static<typeof CreateSandboxBody>;

export const TokenBody = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'A user of the sandbox' })),
    client_credentials: Type.Optional(Type.Boolean({ description: "true: a token of the sandbox's service account" })),
    environment: Type.Optional(Type.Union([Type.Literal('sandbox'), Type.Literal('production')])),
  },
  { additionalProperties: false },
);
export type TokenBody = Static<typeof TokenBody>;

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.Optional(Type.String()),
  created_at: Type.Integer(),
});

export const ClockBody = Type.Object(
  {
    advance: Type.Optional(Type.Number({ description: 'Seconds to move forward (negative: back)' })),
    set: Type.Optional(Type.String({ description: 'ISO 8601 time to jump to' })),
    freeze: Type.Optional(Type.Boolean({ description: 'true: stop time; false: let it run' })),
  },
  { additionalProperties: false },
);
export type ClockBody = Static<typeof ClockBody>;

const faultFields = {
  method: Type.Optional(Type.String({ pattern: '^([A-Za-z]+|\\*)$', maxLength: 16, description: 'HTTP method (any when absent)' })),
  path: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'Path pattern: `*` one segment, `**` any, e.g. /rest/v1.0/projects/*/rfis',
  }),
  company_id: Type.Optional(Type.Integer({ minimum: 1 })),
  status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, description: "Answer this status with Procore's error body" })),
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS })),
  drop: Type.Optional(Type.Boolean({ description: 'Close the connection without an answer' })),
  rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Fraction of matching requests affected (default 1)' })),
  times: Type.Optional(Type.Integer({ minimum: 1, description: 'Affect the next N matching requests, then remove the rule' })),
  retry_after: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'Retry-After of a 429 or 503 (default 1)' })),
};

export const FaultBody = Type.Object(faultFields, { additionalProperties: false });
export type FaultBody = Static<typeof FaultBody>;

export const FaultRule = Type.Object({ id: Type.String(), ...faultFields, hits: Type.Integer(), created_at: Type.String() });
export const FaultList = Type.Object({ faults: Type.Array(FaultRule) });
export const FaultParams = Type.Object({ id: Type.String({ maxLength: 32 }) });
export type FaultParams = Static<typeof FaultParams>;

export const JournalQuery = Type.Object(
  {
    company_id: Type.Optional(Type.Integer({ minimum: 1 })),
    path: Type.Optional(Type.String({ maxLength: 1000, description: 'Path prefix, or a pattern with * / **' })),
    status: Type.Optional(Type.String({ pattern: '^([1-5][0-9][0-9]|[1-5]xx|0)$', description: 'A status (404) or a class (4xx)' })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type JournalQuery = Static<typeof JournalQuery>;

export const JournalEntry = Type.Object({
  id: Type.Integer(),
  time: Type.String(),
  method: Type.String(),
  path: Type.String({ description: 'Secret query values are [redacted]' }),
  status: Type.Integer({ description: '0 when a fault dropped the connection' }),
  duration_ms: Type.Number(),
  environment: Type.String(),
  company_id: Type.Union([Type.Integer(), Type.Null()]),
  answered_by: Type.String({ description: 'The route, fault or Prefer header that answered' }),
  why: Type.Union([Type.String(), Type.Null()], { description: 'Why it was refused, in words' }),
});
export const JournalList = Type.Object({ requests: Type.Array(JournalEntry) });
