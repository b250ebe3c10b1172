/** Every resource the API serves, in OpenAPI order. Adding one is one import and one entry. */
import type { Resource } from '../resource.js';
import { blobs, documents } from './documents.js';
import { drawings } from './drawings.js';
import { companies, me } from './me.js';
import { photos } from './photos.js';
import { projects, projectUsers } from './projects.js';
import { rfis } from './rfis/index.js';
import { rfiReplies } from './rfis/replies.js';
import { schedule } from './schedule.js';
import { submittals } from './submittals/index.js';

export const RESOURCES: Resource[] = [
  me,
  companies,
  projects,
  projectUsers,
  documents,
  drawings,
  photos,
  rfis,
  rfiReplies,
  submittals,
  schedule,
  blobs,
];
