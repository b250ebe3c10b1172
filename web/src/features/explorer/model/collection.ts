/**
 * Pure edits of a Postman v2.1 collection tree (the Collections pane): find, add, rename,
 * duplicate, delete and move items and folders. Every function returns a new collection;
 * fields we do not model are carried along untouched (lossless import/export).
 */
import type { PostmanCollection, PostmanItem, PostmanRequest } from './types.js';
import { COLLECTION_SCHEMA_URL } from './types.js';

export const isFolder = (item: PostmanItem): boolean => Array.isArray(item.item) && item.request === undefined;

export function newId(): string {
  return crypto.randomUUID();
}

export function emptyCollection(name: string): PostmanCollection {
  return { info: { _postman_id: newId(), name, schema: COLLECTION_SCHEMA_URL }, item: [] };
}

/** Gives every item an `id` (imported files may lack them); the explorer addresses items by id. */
export function withIds(collection: PostmanCollection): PostmanCollection {
  let changed = false;
  const walk = (items: PostmanItem[]): PostmanItem[] =>
    items.map((it) => {
      const id = it.id ?? ((changed = true), newId());
      return { ...it, id, ...(Array.isArray(it.item) ? { item: walk(it.item) } : {}) };
    });
  const item = walk(collection.item ?? []);
  return changed ? { ...collection, item } : collection;
}

export function findItem(items: readonly PostmanItem[], id: string): PostmanItem | null {
  for (const it of items) {
    if (it.id === id) return it;
    if (it.item) {
      const found = findItem(it.item, id);
      if (found) return found;
    }
  }
  return null;
}

/** Every request item under `items` (depth first, in order), with its folder path. */
export function requestsOf(items: readonly PostmanItem[], trail: string[] = []): { item: PostmanItem; path: string[] }[] {
  const out: { item: PostmanItem; path: string[] }[] = [];
  for (const it of items) {
    if (isFolder(it)) out.push(...requestsOf(it.item ?? [], [...trail, it.name ?? '']));
    else out.push({ item: it, path: trail });
  }
  return out;
}

/** The folders from the top down to the item (not including it). */
export function ancestorsOf(items: readonly PostmanItem[], id: string, trail: PostmanItem[] = []): PostmanItem[] | null {
  for (const it of items) {
    if (it.id === id) return trail;
    if (it.item) {
      const found = ancestorsOf(it.item, id, [...trail, it]);
      if (found) return found;
    }
  }
  return null;
}

function mapItems(
  items: PostmanItem[],
  fn: (list: PostmanItem[], parentId: string | null) => PostmanItem[],
  parentId: string | null = null,
): PostmanItem[] {
  return fn(items, parentId).map((it) => (it.item ? { ...it, item: mapItems(it.item, fn, it.id ?? null) } : it));
}

export function renameItem(c: PostmanCollection, id: string, name: string): PostmanCollection {
  return { ...c, item: mapItems(c.item, (list) => list.map((it) => (it.id === id ? { ...it, name } : it))) };
}

export function deleteItem(c: PostmanCollection, id: string): PostmanCollection {
  return { ...c, item: mapItems(c.item, (list) => list.filter((it) => it.id !== id)) };
}

function cloneWithNewIds(item: PostmanItem): PostmanItem {
  return { ...structuredClone(item), id: newId(), ...(item.item ? { item: item.item.map(cloneWithNewIds) } : {}) };
}

/** A copy right after the original, named "… copy", with fresh ids. */
export function duplicateItem(c: PostmanCollection, id: string): PostmanCollection {
  return {
    ...c,
    item: mapItems(c.item, (list) =>
      list.flatMap((it) => (it.id === id ? [it, { ...cloneWithNewIds(it), name: `${it.name ?? 'Request'} copy` }] : [it])),
    ),
  };
}

/** Moves an item one place up (-1) or down (+1) among its siblings. */
export function moveItem(c: PostmanCollection, id: string, delta: -1 | 1): PostmanCollection {
  return {
    ...c,
    item: mapItems(c.item, (list) => {
      const at = list.findIndex((it) => it.id === id);
      const to = at + delta;
      if (at < 0 || to < 0 || to >= list.length) return list;
      const copy = [...list];
      [copy[at], copy[to]] = [copy[to]!, copy[at]!];
      return copy;
    }),
  };
}

/** Adds an item at the end of a folder (or of the collection when `folderId` is null). */
export function addItem(c: PostmanCollection, folderId: string | null, item: PostmanItem): PostmanCollection {
  if (folderId === null) return { ...c, item: [...c.item, item] };
  return {
    ...c,
    item: mapItems(c.item, (list) => list.map((it) => (it.id === folderId ? { ...it, item: [...(it.item ?? []), item] } : it))),
  };
}

export function replaceRequest(c: PostmanCollection, id: string, request: PostmanRequest, name?: string): PostmanCollection {
  return {
    ...c,
    item: mapItems(c.item, (list) => list.map((it) => (it.id === id ? { ...it, request, ...(name ? { name } : {}) } : it))),
  };
}

/** Test scripts that apply to an item: collection → folders → request (Postman's order). */
export function testScriptsFor(c: PostmanCollection, id: string): string[] {
  const scripts: string[] = [];
  const add = (events: PostmanItem['event']) => {
    for (const e of events ?? []) {
      if (e.listen !== 'test' || e.disabled) continue;
      const exec = e.script?.exec;
      scripts.push(Array.isArray(exec) ? exec.join('\n') : (exec ?? ''));
    }
  };
  add(c.event);
  for (const folder of ancestorsOf(c.item, id) ?? []) add(folder.event);
  add(findItem(c.item, id)?.event);
  return scripts.filter((s) => s.trim() !== '');
}
