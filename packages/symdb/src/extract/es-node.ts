import type { EsNode } from './parser.js';

/** Whether `value` is an AST node (an object with a string `type`). */
export function isNode(value: unknown): value is EsNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The name of an `Identifier` node; undefined for anything else. */
export function identName(value: unknown): string | undefined {
  return isNode(value) && value.type === 'Identifier' ? (value['name'] as string) : undefined;
}

/** `text`, or its first `maxChars - 1` characters and `…`. */
export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
