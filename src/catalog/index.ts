/**
 * Procore's current API as data (`reference/procore-2026/`): operations, resources, request-body
 * field tables, the nearest operations of a wrong route. Pure: no web framework, no database.
 */
export { Catalog, normalizeTemplate, pathMatches } from './catalog.js';
export { compileCatalog, compileOperation, deriveOperation, splitPrefix, stripSchema } from './compile.js';
export { declarationDraft, load2017Twins, type DeclarationDraft, type DraftOperation, type VapidTwin } from './draft.js';
export { bodyFieldTable, bodyRoot, fieldPaths, fieldSpec, type FieldKind, type FieldSpec, type FieldTable } from './fields.js';
export { catalogPaths, loadCatalog, loadCompiledCatalog, writeCompiledCatalog } from './load.js';
export { routeNotFoundHints, type RouteNotFoundHints } from './not-found.js';
export { compileRouter, type CatalogRouter, type RouteMatch } from './router.js';
export { groupResources, type CatalogResource, type ResourceOperation } from './resources.js';
export { editDistance, suggestOperations, type Suggestion, type SuggestOptions } from './suggest.js';
export * from './types.js';
