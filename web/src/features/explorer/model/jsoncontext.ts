/**
 * Where the cursor is in a JSON text being typed (which may be incomplete): the key path of the
 * container around it, and whether a property name or a value goes there. A small scanner, not
 * a parser: it has to work on text that does not parse yet (`{"rfi":{"su`).
 */

export interface JsonContext {
  /** Keys (and array indexes) from the root to the container the cursor is in. */
  path: (string | number)[];
  /** `key`: a property name goes here; `value`: a value of `key` goes here; `other`: neither. */
  kind: 'key' | 'value' | 'other';
  /** For `value`: the property whose value is being typed. */
  key: string | null;
  /** Text typed so far of the name or value (without its opening quote). */
  prefix: string;
  /** Offset where the replacement starts (the opening quote of a started string, or the cursor). */
  from: number;
}

interface Level {
  type: 'object' | 'array';
  expectKey: boolean;
  key: string | null;
  index: number;
}

function unquote(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    // A raw control character or a bad escape: take the text between the quotes.
    return literal.slice(1, -1);
  }
}

export function jsonContext(text: string): JsonContext {
  const stack: Level[] = [];
  const path: (string | number)[] = [];
  let inString = false;
  let escape = false;
  let stringStart = -1;
  let lastString = '';
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escape) escape = false;
      else if (ch === '\\') escape = true;
      else if (ch === '"') {
        inString = false;
        lastString = unquote(text.slice(stringStart, i + 1));
        const top = stack[stack.length - 1];
        if (top?.type === 'object' && top.expectKey) top.key = lastString;
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === '"') {
      inString = true;
      stringStart = i;
      continue;
    }
    if (ch === '{' || ch === '[') {
      if (top) path.push(top.type === 'object' ? (top.key ?? '') : top.index);
      stack.push({ type: ch === '{' ? 'object' : 'array', expectKey: ch === '{', key: null, index: 0 });
      valueStart = -1;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      if (stack.length > 0) path.pop();
      valueStart = -1;
    } else if (ch === ',') {
      if (top?.type === 'object') {
        top.expectKey = true;
        top.key = null;
      } else if (top) top.index++;
      valueStart = -1;
    } else if (ch === ':') {
      if (top?.type === 'object') top.expectKey = false;
      valueStart = -1;
    } else if (!/\s/.test(ch) && valueStart < 0) valueStart = i;
  }
  const top = stack[stack.length - 1];
  if (!top) return { path: [], kind: 'other', key: null, prefix: '', from: text.length };
  if (inString) {
    const prefix = text.slice(stringStart + 1);
    if (top.type === 'object' && top.expectKey) return { path, kind: 'key', key: null, prefix, from: stringStart };
    if (top.type === 'object') return { path, kind: 'value', key: top.key, prefix, from: stringStart };
    return { path, kind: 'other', key: null, prefix, from: stringStart };
  }
  if (top.type === 'object' && top.expectKey) return { path, kind: 'key', key: null, prefix: '', from: text.length };
  if (top.type === 'object') {
    const prefix = valueStart >= 0 ? text.slice(valueStart) : '';
    return { path, kind: 'value', key: top.key, prefix, from: valueStart >= 0 ? valueStart : text.length };
  }
  return { path, kind: 'other', key: null, prefix: '', from: text.length };
}

/** The picker kind for an id field or variable (`project_id` → projects), or null. */
export function pickerKind(name: string): string | null {
  const n = name.toLowerCase();
  if (!/(^|_)ids?$/.test(n)) return null;
  // Companies on a project (`responsible_contractor_id`, `vendor_id`) are vendors.
  if (/(vendor|contractor)/.test(n)) return 'vendors';
  // People next: `rfi_manager_id` is a user, not an RFI.
  if (/(user|manager|assignee|creator|login|received_from|responsible|approver|author)/.test(n)) return 'users';
  if (/project/.test(n)) return 'projects';
  if (/rfi/.test(n)) return 'rfis';
  if (/submittal/.test(n)) return 'submittals';
  if (/company/.test(n)) return 'companies';
  if (/drawing_area/.test(n)) return 'drawing_areas';
  if (/image_categor/.test(n)) return 'image_categories';
  if (/drawing/.test(n)) return 'drawings';
  if (/folder/.test(n)) return 'folders';
  return null;
}
