/**
 * A reduced, faithful copy of Postman's Collection Format v2.1.0 JSON schema (draft-07), for
 * validating exports with ajv. Neither postman-collection nor newman ships the schema and the
 * build has no network, so this keeps v2.1.0's structure and constraints for the parts we use:
 * info, item / item-group (recursive), request (object form), url (object form), header, auth
 * (v2.1 `{key,value,type}` attribute arrays), variable, event/script, response. Definitions not
 * used by our exports (proxy, certificate, cookies, body modes) are kept permissive.
 *
 * @see https://schema.getpostman.com/json/collection/v2.1.0/collection.json
 */
const authAttribute = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string' }, value: {}, type: { type: 'string' } },
};

export const POSTMAN_COLLECTION_V210_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  type: 'object',
  required: ['info', 'item'],
  properties: {
    info: { $ref: '#/definitions/info' },
    item: { type: 'array', items: { anyOf: [{ $ref: '#/definitions/item' }, { $ref: '#/definitions/item-group' }] } },
    event: { $ref: '#/definitions/event-list' },
    variable: { $ref: '#/definitions/variable-list' },
    auth: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/auth' }] },
    protocolProfileBehavior: { type: 'object' },
  },
  definitions: {
    info: {
      type: 'object',
      required: ['name', 'schema'],
      properties: {
        name: { type: 'string' },
        _postman_id: { type: 'string' },
        description: { $ref: '#/definitions/description' },
        version: {},
        schema: { type: 'string' },
      },
    },
    description: {
      oneOf: [
        { type: 'string' },
        { type: 'object', properties: { content: { type: 'string' }, type: { type: 'string' }, version: {} } },
        { type: 'null' },
      ],
    },
    item: {
      type: 'object',
      required: ['request'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        description: { $ref: '#/definitions/description' },
        variable: { $ref: '#/definitions/variable-list' },
        event: { $ref: '#/definitions/event-list' },
        request: { $ref: '#/definitions/request' },
        response: { type: 'array', items: { $ref: '#/definitions/response' } },
        protocolProfileBehavior: { type: 'object' },
      },
    },
    'item-group': {
      type: 'object',
      required: ['item'],
      properties: {
        name: { type: 'string' },
        description: { $ref: '#/definitions/description' },
        variable: { $ref: '#/definitions/variable-list' },
        item: { type: 'array', items: { anyOf: [{ $ref: '#/definitions/item' }, { $ref: '#/definitions/item-group' }] } },
        event: { $ref: '#/definitions/event-list' },
        auth: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/auth' }] },
        protocolProfileBehavior: { type: 'object' },
      },
    },
    request: {
      oneOf: [
        {
          type: 'object',
          properties: {
            url: { $ref: '#/definitions/url' },
            auth: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/auth' }] },
            proxy: { type: 'object' },
            certificate: { type: 'object' },
            method: {
              anyOf: [
                {
                  enum: [
                    'GET',
                    'PUT',
                    'POST',
                    'PATCH',
                    'DELETE',
                    'COPY',
                    'HEAD',
                    'OPTIONS',
                    'LINK',
                    'UNLINK',
                    'PURGE',
                    'LOCK',
                    'UNLOCK',
                    'PROPFIND',
                    'VIEW',
                  ],
                },
                { type: 'string' },
              ],
            },
            description: { $ref: '#/definitions/description' },
            header: { oneOf: [{ $ref: '#/definitions/header-list' }, { type: 'string' }] },
            body: { oneOf: [{ type: 'object' }, { type: 'null' }] },
          },
        },
        { type: 'string' },
      ],
    },
    url: {
      oneOf: [
        {
          type: 'object',
          properties: {
            raw: { type: 'string' },
            protocol: { type: 'string' },
            host: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            path: {
              oneOf: [
                { type: 'string' },
                {
                  type: 'array',
                  items: {
                    oneOf: [{ type: 'string' }, { type: 'object', properties: { type: { type: 'string' }, value: { type: 'string' } } }],
                  },
                },
              ],
            },
            port: { type: 'string' },
            query: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  key: { type: ['string', 'null'] },
                  value: { type: ['string', 'null'] },
                  disabled: { type: 'boolean', default: false },
                  description: { $ref: '#/definitions/description' },
                },
              },
            },
            hash: { type: 'string' },
            variable: { type: 'array', items: { $ref: '#/definitions/variable' } },
          },
        },
        { type: 'string' },
      ],
    },
    header: {
      type: 'object',
      required: ['key', 'value'],
      properties: {
        key: { type: 'string' },
        value: { type: 'string' },
        disabled: { type: 'boolean', default: false },
        description: { $ref: '#/definitions/description' },
      },
    },
    'header-list': { type: 'array', items: { $ref: '#/definitions/header' } },
    auth: {
      type: 'object',
      required: ['type'],
      properties: {
        type: {
          type: 'string',
          enum: ['apikey', 'awsv4', 'basic', 'bearer', 'digest', 'edgegrid', 'hawk', 'noauth', 'oauth1', 'oauth2', 'ntlm'],
        },
        noauth: {},
        apikey: { type: 'array', items: authAttribute },
        awsv4: { type: 'array', items: authAttribute },
        basic: { type: 'array', items: authAttribute },
        bearer: { type: 'array', items: authAttribute },
        digest: { type: 'array', items: authAttribute },
        edgegrid: { type: 'array', items: authAttribute },
        hawk: { type: 'array', items: authAttribute },
        ntlm: { type: 'array', items: authAttribute },
        oauth1: { type: 'array', items: authAttribute },
        oauth2: { type: 'array', items: authAttribute },
      },
    },
    variable: {
      type: 'object',
      anyOf: [{ required: ['id'] }, { required: ['key'] }, { required: ['id', 'key'] }],
      properties: {
        id: { type: 'string' },
        key: { type: 'string' },
        value: {},
        type: { type: 'string', enum: ['string', 'boolean', 'any', 'number'] },
        name: { type: 'string' },
        description: { $ref: '#/definitions/description' },
        system: { type: 'boolean', default: false },
        disabled: { type: 'boolean', default: false },
      },
    },
    'variable-list': { type: 'array', items: { $ref: '#/definitions/variable' } },
    event: {
      type: 'object',
      required: ['listen'],
      properties: {
        id: { type: 'string' },
        listen: { type: 'string' },
        script: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            type: { type: 'string' },
            exec: { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
            src: { $ref: '#/definitions/url' },
            name: { type: 'string' },
          },
        },
        disabled: { type: 'boolean', default: false },
      },
    },
    'event-list': { type: 'array', items: { $ref: '#/definitions/event' } },
    response: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        originalRequest: { $ref: '#/definitions/request' },
        status: { type: 'string' },
        code: { type: 'integer' },
        header: { oneOf: [{ type: 'array' }, { type: 'string' }, { type: 'null' }] },
        body: { oneOf: [{ type: 'null' }, { type: 'string' }] },
        cookie: { type: 'array' },
      },
    },
  },
} as const;
