import { describe, expect, it } from 'vitest';
import { jsonContext, pickerKind } from './jsoncontext.js';

describe('JSON cursor context', () => {
  it('knows a property name goes inside {"rfi":{…}}', () => {
    expect(jsonContext('{"rfi":{')).toEqual({ path: ['rfi'], kind: 'key', key: null, prefix: '', from: 8 });
    expect(jsonContext('{"rfi":{"su')).toEqual({ path: ['rfi'], kind: 'key', key: null, prefix: 'su', from: 8 });
    expect(jsonContext('{"rfi":{"subject":"A, {b}", ')).toMatchObject({ path: ['rfi'], kind: 'key', prefix: '' });
  });

  it('knows a value of a key goes there', () => {
    expect(jsonContext('{"rfi":{"assignee_id": ')).toMatchObject({ path: ['rfi'], kind: 'value', key: 'assignee_id', prefix: '' });
    expect(jsonContext('{"rfi":{"assignee_id": 12')).toMatchObject({ kind: 'value', key: 'assignee_id', prefix: '12', from: 23 });
  });

  it('tracks arrays and closed containers', () => {
    expect(jsonContext('{"a":[{"x":1},{')).toMatchObject({ path: ['a', 1], kind: 'key' });
    expect(jsonContext('{"a":{"b":1},')).toMatchObject({ path: [], kind: 'key' });
    expect(jsonContext('')).toMatchObject({ kind: 'other' });
    expect(jsonContext('{"a\\"b":')).toMatchObject({ kind: 'value', key: 'a"b' });
  });

  it('maps id names to picker kinds', () => {
    expect(pickerKind('project_id')).toBe('projects');
    expect(pickerKind('assignee_id')).toBe('users');
    expect(pickerKind('rfi_manager_id')).toBe('users');
    expect(pickerKind('responsible_contractor_id')).toBe('vendors');
    expect(pickerKind('drawing_area_id')).toBe('drawing_areas');
    expect(pickerKind('subject')).toBeNull();
  });
});
