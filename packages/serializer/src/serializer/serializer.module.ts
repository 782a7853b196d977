import { bundle, provide } from '@agentkit/core';
import type { Bundle } from '@agentkit/core';
import { PayloadSerializer } from './payload-serializer.js';
import { SERIALIZER } from './serializer.def.js';

/** The real serializer (bundle `serializer`): needs a `forwarder` bundle, CONFIG and LOGGER. */
export const serializerBundle: Bundle = bundle('serializer', [provide(SERIALIZER, PayloadSerializer)]);
