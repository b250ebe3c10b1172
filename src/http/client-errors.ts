/**
 * The client's mistakes Fastify and its plugins raise (oversize or malformed bodies, bad media
 * types, multipart limits), in words a client can act on: one table for the API, the portal and
 * the explorer, whose error handlers differ only in the body they wrap the message in.
 */

const BY_CODE: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'Request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Unsupported Content-Type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'Body cannot be empty when Content-Type is application/json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'Malformed JSON body'],
  FST_ERR_BAD_URL: [400, 'Malformed URL'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'Unsupported Content-Type'],
  FST_PARTS_LIMIT: [413, 'Too many multipart parts'],
  FST_FILES_LIMIT: [413, 'Too many files'],
  FST_FIELDS_LIMIT: [413, 'Too many fields'],
  FST_REQ_FILE_TOO_LARGE: [413, 'File is too large'],
};

/** The 4xx status and message of a client's mistake, or null when the error is the server's. */
export function clientError(error: Error & { statusCode?: number; code?: string }): { status: number; message: string } | null {
  const known = error.code ? BY_CODE[error.code] : undefined;
  if (known) return { status: known[0], message: known[1] };
  if (error instanceof SyntaxError) return { status: 400, message: 'Malformed JSON body' };
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  const message = status === 413 ? 'Request body is too large' : status === 415 ? 'Unsupported Content-Type' : error.message;
  return { status, message };
}
