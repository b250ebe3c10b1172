/**
 * The API's answer to a path that matches no route: Procore's 404 body plus the nearest
 * operations of the catalogue (`did_you_mean`) and, for a real Procore operation this sandbox
 * does not serve yet, its name (`not_served`).
 *
 * @example
 * // GET /rest/v1.0/projects/12/rfi →
 * // {"code":404,"message":"Route GET /rest/v1.0/projects/12/rfi not found","error":"Not Found",
 * //  "did_you_mean":["GET /rest/v1.0/projects/12/rfis", …]}
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routeNotFoundHints } from '../catalog/not-found.js';
import { notFoundBody } from './errors.js';

export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const app = request.server;
  const company = request.headers['procore-company-id'];
  return reply.code(404).send({
    ...notFoundBody(`Route ${request.method} ${request.url.split('?')[0]} not found`),
    error: 'Not Found',
    ...routeNotFoundHints(request.method, request.url, {
      hasRoute: (route) => app.hasRoute(route) || app.virtualRoutes.some((v) => v.has(route)),
      companyId: typeof company === 'string' ? company.trim() : undefined,
    }),
  });
}
