/** Every resource the API serves, in OpenAPI order. Adding one is one import and one entry. */
import type { Resource } from '../resource.js';
import {
  purchaseOrderContractLineItems,
  purchaseOrderContracts,
  workOrderContractLineItems,
  workOrderContracts,
} from './commitments/index.js';
import { budgetLineItems, budgetViews } from './budget/index.js';
import { changeOrderPackages, changeOrderRequests, potentialChangeOrders } from './change-events/change-orders.js';
import { changeEventsV10, changeEventsV11 } from './change-events/index.js';
import { costCodes, lineItemTypes } from './cost-codes/index.js';
import { primeContractLineItems, primeContracts } from './prime-contracts/index.js';
import { dailyLogCounts, manpowerLogs, notesLogs, weatherLogsV10, weatherLogsV11 } from './daily-logs/index.js';
import { downloads } from './downloads/index.js';
import { files, folders } from './documents/index.js';
import { drawingAreas, drawings } from './drawings/index.js';
import { companies, me } from './me/index.js';
import { incidentActionTypes, incidentActions, incidentInjuries, incidentWitnessStatements, incidents } from './incidents/index.js';
import { checklistTemplates, checklistsByQuery, inspectionTypes, projectChecklists } from './inspections/index.js';
import { checklistItems, checklistSections, projectChecklistItems, projectChecklistSections } from './inspections/sections.js';
import {
  meetingAttendees,
  meetingCategories,
  meetingTopicsByQuery,
  meetingsByQuery,
  projectMeetingTopics,
  projectMeetings,
} from './meetings/index.js';
import { observations } from './observations/index.js';
import { imageCategories, images } from './photos/index.js';
import { locations } from './locations/index.js';
import { projects } from './projects/index.js';
import { punchItemAssignments, punchItems } from './punch-items/index.js';
import { rfis } from './rfis/index.js';
import { rfiReplies } from './rfis/replies.js';
import { specificationDivisions, specificationRevisions, specificationSections, specificationSets } from './specifications/index.js';
import { projectTimesheets } from './timesheets/index.js';
import { tasks } from './tasks/index.js';
import { projectTimecardEntries, timecardEntriesByQuery } from './timecards/index.js';
import { submittals } from './submittals/index.js';
import { uploads } from './uploads/index.js';
import { companyUsers, projectUsers, usersByQuery } from './users/index.js';
import { companyVendors, projectVendors } from './vendors/index.js';
import { projectRoles } from './project-roles/index.js';

export const RESOURCES: Resource[] = [
  me,
  companies,
  projects,
  projectUsers,
  folders,
  files,
  drawingAreas,
  drawings,
  imageCategories,
  images,
  rfis,
  rfiReplies,
  submittals,
  tasks,
  downloads,
  locations,
  punchItems,
  punchItemAssignments,
  observations,
  manpowerLogs,
  notesLogs,
  weatherLogsV10,
  weatherLogsV11,
  dailyLogCounts,
  timecardEntriesByQuery,
  projectTimecardEntries,
  inspectionTypes,
  checklistTemplates,
  projectChecklists,
  checklistsByQuery,
  checklistSections,
  projectChecklistSections,
  checklistItems,
  projectChecklistItems,
  incidents,
  incidentActionTypes,
  incidentActions,
  incidentInjuries,
  incidentWitnessStatements,
  meetingsByQuery,
  projectMeetings,
  meetingAttendees,
  meetingCategories,
  meetingTopicsByQuery,
  projectMeetingTopics,
  specificationSets,
  specificationDivisions,
  specificationSections,
  specificationRevisions,
  projectTimesheets,
  uploads,
  lineItemTypes,
  costCodes,
  workOrderContracts,
  workOrderContractLineItems,
  purchaseOrderContracts,
  purchaseOrderContractLineItems,
  primeContracts,
  primeContractLineItems,
  changeEventsV10,
  changeEventsV11,
  changeOrderPackages,
  budgetLineItems,
  budgetViews,
  companyUsers,
  usersByQuery,
  companyVendors,
  projectVendors,
  projectRoles,
  // Last: their seed ids come after every earlier resource's, which keep theirs.
  potentialChangeOrders,
  changeOrderRequests,
];
