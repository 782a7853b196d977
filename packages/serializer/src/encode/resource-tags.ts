const DEVICE_PREFIX = 'device:';
const RESOURCE_PREFIX = 'dd.internal.resource:';
const CHAR_D = 0x64;

/** A series' tags with `device:` and `dd.internal.resource:` tags taken out. */
export interface ResourceTags {
  readonly tags: readonly string[];
  /** The `device:` tag's value, written as the v1 `device` field or a v2 `device` resource. */
  readonly device: string | undefined;
  /** `dd.internal.resource:<type>:<name>` tags, as v2 resources. */
  readonly resources: readonly (readonly [type: string, name: string])[];
}

/**
 * Takes out the tags the Datadog Agent turns into fields (`PopulateDeviceField`, and with
 * `takeResources`, `PopulateResources`: v1 JSON has no resources, so there they stay tags).
 * Returns undefined, allocating nothing, when there are none: the usual case.
 */
export function extractResourceTags(tags: readonly string[], takeResources = true): ResourceTags | undefined {
  let found = false;
  for (const tag of tags) {
    if (tag.charCodeAt(0) === CHAR_D && (tag.startsWith(DEVICE_PREFIX) || (takeResources && tag.startsWith(RESOURCE_PREFIX)))) {
      found = true;
      break;
    }
  }
  if (!found) return undefined;
  const kept: string[] = [];
  const resources: [string, string][] = [];
  let device: string | undefined;
  for (const tag of tags) {
    if (tag.startsWith(DEVICE_PREFIX)) {
      device = tag.slice(DEVICE_PREFIX.length);
    } else if (takeResources && tag.startsWith(RESOURCE_PREFIX)) {
      const rest = tag.slice(RESOURCE_PREFIX.length);
      const colon = rest.indexOf(':');
      // A malformed resource tag stays a tag rather than being lost.
      if (colon > 0 && colon < rest.length - 1) resources.push([rest.slice(0, colon), rest.slice(colon + 1)]);
      else kept.push(tag);
    } else {
      kept.push(tag);
    }
  }
  return { tags: kept, device, resources };
}

/**
 * Whether a joined tag set (tags sorted, joined with ',') may hold a tag
 * {@link extractResourceTags} takes out; false means it takes none, so the joined string can be
 * written as it is (the usual case, checked without splitting it).
 */
export function mayHoldResourceTags(joined: string, takeResources = true): boolean {
  if (joined.startsWith(DEVICE_PREFIX) || joined.includes(',' + DEVICE_PREFIX)) return true;
  return takeResources && (joined.startsWith(RESOURCE_PREFIX) || joined.includes(',' + RESOURCE_PREFIX));
}
