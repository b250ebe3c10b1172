/**
 * What a fresh Developer Sandbox contains (product.md §3.5). Values follow Procore's shapes
 * (procore-api.md §1.1, §6); names Procore does not publish are ours.
 */
import type { DrawingSheetSpec } from './assets-types.js';

export const PROJECT = {
  project_number: '1234',
  name: 'Sandbox Test Project',
  display_name: '1234 - Sandbox Test Project',
  description: 'Seeded test project of a procore-sandbox Developer Sandbox.',
  address: '6309 Carpinteria Avenue',
  city: 'Carpinteria',
  state_code: 'CA',
  country_code: 'US',
  zip: '93013',
  county: 'Santa Barbara County',
  time_zone: 'Pacific Time (US & Canada)',
  latitude: 34.3989,
  longitude: -119.5185,
  phone: '(805) 555-0100',
  stage: 'Course of Construction',
  square_feet: 42000,
  total_value: '12500000.0',
} as const;

/** Company directory users besides the developer. All share the sandbox password. */
export const SEED_USERS = [
  {
    key: 'arch',
    email: 'sandbox+arch@example.com',
    first_name: 'Test',
    last_name: 'Architect',
    job_title: 'Project Architect',
    vendor: 'design',
  },
  { key: 'sub', email: 'sandbox+sub@example.com', first_name: 'Test', last_name: 'Subcontractor', job_title: 'Foreman', vendor: 'sub' },
  { key: 'demo', email: 'sandbox+demo@example.com', first_name: 'API', last_name: 'Support', job_title: 'Project Manager', vendor: 'gc' },
] as const;

export type SeedUserKey = (typeof SEED_USERS)[number]['key'];

/** The client-credentials (DMSA) service account: no password, cannot sign in. */
export const SERVICE_ACCOUNT = { email: 'sandbox+service@example.com', first_name: 'Sandbox App', last_name: '(Service Account)' } as const;

export const VENDORS = [
  { key: 'gc', name: 'Sandbox Builders Inc.', trade_name: 'General Contractor' },
  { key: 'design', name: 'Sandbox Design Partners', trade_name: 'Architect' },
  { key: 'sub', name: 'Test Subcontractor Co.', trade_name: 'Concrete' },
] as const;

/** 8 tasks of a basic high-level schedule; offsets in days from sandbox creation. */
export const SCHEDULE_TASKS = [
  { task_name: 'Mobilization', start: 0, days: 5, percentage: 100, milestone: false, critical: true },
  { task_name: 'Site Work', start: 5, days: 15, percentage: 60, milestone: false, critical: true },
  { task_name: 'Foundations', start: 20, days: 20, percentage: 10, milestone: false, critical: true },
  { task_name: 'Structural Frame', start: 40, days: 30, percentage: 0, milestone: false, critical: true },
  { task_name: 'Building Envelope', start: 70, days: 25, percentage: 0, milestone: false, critical: false },
  { task_name: 'MEP Rough-In', start: 80, days: 30, percentage: 0, milestone: false, critical: false },
  { task_name: 'Interior Finishes', start: 110, days: 35, percentage: 0, milestone: false, critical: true },
  { task_name: 'Substantial Completion', start: 145, days: 0, percentage: 0, milestone: true, critical: true },
] as const;

/** Keys of the document files assets must provide. */
export const DOCUMENT_FILES = {
  primeContract: { filename: 'Prime Contract.pdf', contentType: 'application/pdf' },
  specConcrete: { filename: '03 30 00 - Cast-in-Place Concrete.pdf', contentType: 'application/pdf' },
  meetingMinutes: { filename: 'OAC Meeting Minutes 001.txt', contentType: 'text/plain' },
  projectDirectory: { filename: 'Project Directory.csv', contentType: 'text/csv' },
  sitePlan: { filename: 'Site Logistics Plan.png', contentType: 'image/png' },
} as const;

export type DocumentKey = keyof typeof DOCUMENT_FILES;

/** Folder tree under the project's root folder, with the files each holds. */
export const FOLDERS: readonly {
  name: string;
  files: readonly DocumentKey[];
  children?: readonly { name: string; files: readonly DocumentKey[] }[];
}[] = [
  { name: '01 - Contracts', files: ['primeContract'] },
  { name: '02 - Specifications', files: ['specConcrete'] },
  { name: '03 - Meetings', files: ['meetingMinutes'], children: [{ name: 'Agendas', files: [] }] },
  { name: '04 - Project Information', files: ['projectDirectory', 'sitePlan'] },
];

export const DRAWING_SHEETS: readonly DrawingSheetSpec[] = [
  { number: 'A1.01', title: 'Site Plan', discipline: 'Architectural' },
  { number: 'A2.01', title: 'First Floor Plan', discipline: 'Architectural' },
  { number: 'A3.01', title: 'Exterior Elevations', discipline: 'Architectural' },
  { number: 'S1.01', title: 'Foundation Plan', discipline: 'Structural' },
];
