/** Data the explorer loads once and shares: the OpenAPI document and the pickers of real ids. */
import { useEffect, useState } from 'react';
import { explorerApi } from '../../api/explorer.js';
import type { OpenApiDocument } from './model/openapi.js';

let openapi: Promise<OpenApiDocument | null> | null = null;

export function loadOpenApi(): Promise<OpenApiDocument | null> {
  openapi ??= explorerApi.openapi().catch(() => null);
  return openapi;
}

export function useOpenApi(): OpenApiDocument | null {
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  useEffect(() => {
    let live = true;
    void loadOpenApi().then((d) => live && setDoc(d));
    return () => {
      live = false;
    };
  }, []);
  return doc;
}

export interface PickerItem {
  id: number | string;
  label: string;
}

const pickerCache = new Map<string, Promise<PickerItem[]>>();

/** Real objects of the sandbox for an id field (`kind` from `pickerKind`), cached per app and kind. */
export function loadPickers(appId: number | null, kind: string): Promise<PickerItem[]> {
  if (!appId) return Promise.resolve([]);
  const key = `${appId}:${kind}`;
  let p = pickerCache.get(key);
  if (!p) {
    p = explorerApi.pickers(appId, kind).then(
      (r) => (Array.isArray(r) ? r : (r.items ?? [])),
      () => [],
    );
    pickerCache.set(key, p);
  }
  return p;
}

/** Picker items for several kinds at once, re-rendering when they arrive. */
export function usePickers(appId: number | null, kinds: readonly string[]): Record<string, PickerItem[]> {
  const [items, setItems] = useState<Record<string, PickerItem[]>>({});
  const key = kinds.join(',');
  useEffect(() => {
    let live = true;
    for (const kind of key ? key.split(',') : []) {
      void loadPickers(appId, kind).then((list) => live && setItems((old) => (old[kind] === list ? old : { ...old, [kind]: list })));
    }
    return () => {
      live = false;
    };
  }, [appId, key]);
  return items;
}
