/** Field names that hold a Datadog key, as config keys, options and env dumps spell them. */
const SECRET_FIELDS = ['api_key', 'apiKey', 'app_key', 'appKey', 'application_key', 'DD_API_KEY', 'DD_APP_KEY'];

/** The header as we send it, as Node lower-cases it, and as Go canonicalises it (`Dd-Api-Key`). */
const SECRET_HEADERS = [
  'DD-API-KEY',
  'dd-api-key',
  'Dd-Api-Key',
  'DD-Api-Key',
  'DD-APPLICATION-KEY',
  'dd-application-key',
  'Dd-Application-Key',
];

/**
 * pino `redact` paths: the secret fields at the top level and one level down, and the secret
 * headers under `headers` at the top level and one level down (`req.headers`, `err.headers`).
 * Deeper ones are caught by `scrubSecrets` on the serialized line; paths stop here because
 * every wildcard path adds work to every enabled log call.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];
