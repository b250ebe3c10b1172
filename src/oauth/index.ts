import type { FastifyInstance } from 'fastify';

/** Placeholder: routes land here (work in progress). */
export default async function routes(_app: FastifyInstance): Promise<void> {}
