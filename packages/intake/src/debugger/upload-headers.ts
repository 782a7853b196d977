import type { IncomingHttpHeaders } from 'node:http';
import { maskSecret } from '@agentkit/config';
import type { LocalUploadHeaders } from '../local-intake/local-intake.def.js';

/**
 * The headers of a debugger or symdb upload that say who sent it and through what: those the
 * trace agent adds when it forwards a tracer's upload (`DD-EVP-ORIGIN`, `DD-REQUEST-ID`, the
 * tags in `ddtags` or `X-Datadog-Additional-Tags`, `DD-API-KEY`). The API key is kept masked,
 * as `agentkit config` shows it: the intake's page never shows a secret.
 */
export function uploadHeaders(headers: IncomingHttpHeaders, rawUrl: string): LocalUploadHeaders {
  const q = rawUrl.indexOf('?');
  const ddtags = q < 0 ? null : new URLSearchParams(rawUrl.slice(q + 1)).get('ddtags');
  const evpOrigin = one(headers['dd-evp-origin']);
  const requestId = one(headers['dd-request-id']);
  const additionalTags = one(headers['x-datadog-additional-tags']);
  const apiKey = one(headers['dd-api-key']);
  const userAgent = one(headers['user-agent']);
  return {
    ...(evpOrigin === undefined ? {} : { evpOrigin }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(ddtags === null ? {} : { ddtags }),
    ...(additionalTags === undefined ? {} : { additionalTags }),
    ...(apiKey === undefined ? {} : { apiKey: maskSecret(apiKey) }),
    ...(userAgent === undefined ? {} : { userAgent }),
  };
}

function one(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}
