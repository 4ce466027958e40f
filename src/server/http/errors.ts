import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * A request the server refuses, with a stable code clients can key on and a message for people.
 * Thrown anywhere in a handler; `onError` renders it as JSON under `/api/` and as a page elsewhere.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(status, { message });
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>): ApiError => new ApiError(400, code, message, details);
export const notFound = (what: string): ApiError => new ApiError(404, 'not-found', `${what} was not found`);

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { status: number; code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(status: number, code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { status, code, message, ...(details ? { details } : {}) } };
}

/** Maps anything thrown to (status, code, message); unknown errors say nothing about internals. */
export function describeError(err: unknown): { status: ContentfulStatusCode; code: string; message: string; details?: Record<string, unknown> } {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? 'body-too-large' : `http-${err.status}`;
    const message = err.status === 413 ? 'the request body is larger than this endpoint accepts' : err.message || 'request refused';
    return { status: err.status, code, message };
  }
  return { status: 500, code: 'internal', message: 'internal error (logged on the server)' };
}
