/** Replies (answers) to an RFI's question, under the RFI: list, show, create, update, delete. */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { f, unmodelled, type AnyRow, type ReadContext } from '../../fields.js';
import { plainText } from '../../refs.js';
import { Attachment, Id, NInt, NStr, Obj, Timestamp } from '../../schemas.js';

export const RfiReply = Obj(
  {
    id: Id,
    official: Type.Boolean(),
    answer_date: Timestamp(),
    plain_text_body: Type.String(),
    rich_text_body: Type.String(),
    created_by: NStr(),
    created_by_id: NInt(),
    attachments: Type.Array(Attachment),
  },
  { title: 'RFI_Reply' },
);

/** A reply as the RFI's show nests it in `questions[].answers` (users loaded by the caller). */
export function serializeReply(a: AnyRow, x: ReadContext) {
  return {
    id: a['id'],
    official: a['official'] === 1 || a['official'] === true,
    answer_date: a['created_at'],
    plain_text_body: plainText(a['body']),
    rich_text_body: a['body'],
    created_by: x.user(a['created_by_id'])?.name ?? null,
    created_by_id: a['created_by_id'],
    attachments: [],
  };
}

export const rfiReplies = defineResource({
  name: 'rfi_replies',
  tag: 'RFIs',
  noun: ['RFI Reply', 'RFI Replies'],
  titles: { list: 'RFI_Reply', show: 'RFI_Reply' },
  path: '/projects/{project_id}/rfis/{rfi_id}/replies',
  scope: 'project',
  parent: { param: 'rfi_id', storage: table('rfis', { softDelete: true }), name: 'rfis' },
  storage: table('rfi_replies', { project: false, parentColumn: 'rfi_id' }),
  body: 'reply',
  operations: {
    list: { summary: 'List replies of an RFI' },
    // Today's catalogue has these; the 2017 description (`/vapid`) did not.
    show: { summary: 'Show a reply of an RFI', versions: ['v1.0'] },
    create: { summary: 'Reply to an RFI' },
    update: { summary: 'Update a reply of an RFI', versions: ['v1.0'] },
    delete: { summary: 'Delete a reply of an RFI', versions: ['v1.0'] },
  },
  sort: { keys: { created_at: 'created_at' } },
  fields: {
    id: f.id(),
    official: f.bool(),
    answer_date: f.computed(Timestamp(), (r) => r['created_at'], { column: 'created_at' }),
    plain_text_body: f.computed(Type.String(), (r) => plainText(r['body'])),
    rich_text_body: f.text({
      column: 'body',
      write: 'body',
      long: true,
      required: true,
      body: Type.String({ minLength: 1, maxLength: 100_000 }),
    }),
    created_by_id: f.user({ column: 'created_by_id', creator: true, in: [] }),
    created_by: f.computed(NStr(), (r, x) => x.user(r['created_by_id'])?.name ?? null),
    created_by_id_value: f.computed(NInt(), (r) => r['created_by_id'] ?? null, { key: 'created_by_id' }),
    question_id: f.hidden(),
    ...unmodelled({ attachments: Type.Array(Attachment) }),
  },
  required: ['body'],
  hooks: {
    async beforeInsert(w) {
      const question = await w.c
        .fromIn(w.trx, 'rfi_questions')
        .select('id')
        .where('rfi_id', '=', w.scope.parentId)
        .orderBy('id')
        .executeTakeFirst();
      w.set['question_id'] = (question as { id: number } | undefined)?.id ?? null;
    },
    async afterWrite(w) {
      await w.trx
        .updateTable('rfis')
        .set({ updated_at: w.now })
        .where('id', '=', w.scope.parentId as number)
        .execute();
    },
  },
});
