import { isNode, truncate } from './es-node.js';
import type { EsNode } from './parser.js';

/** Names longer than this are cut: a computed key's source text can be any expression. */
const MAX_NAME_CHARS = 200;

/** Expressions that only carry TypeScript types: `(() => 1) as Handler` compiles to `() => 1`, named as that is. */
const TYPE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression']);

/**
 * The name of property, method or class-field key `member.key`, as JavaScript turns the key
 * into a property name: an identifier as written, a private name with its `#`, a string or
 * number literal as its value (`'q-r'`, `1.50` → `1.5`), also when computed (`['a']`, `[1]`,
 * `` [`a`] ``, `[-1]`). Any other computed key has its value only at run time: its source text
 * in brackets stands for it, which is also how JavaScript names a function under a
 * well-known symbol key (`[Symbol.iterator]`).
 */
export function propertyKeyName(member: EsNode, source: string): string {
  const key = member['key'];
  if (!isNode(key)) return '<anonymous>';
  if (member['computed'] !== true) {
    if (key.type === 'Identifier') return key['name'] as string;
    if (key.type === 'PrivateIdentifier') return `#${key['name'] as string}`;
  }
  return literalKey(key) ?? truncate(`[${source.slice(key.start, key.end)}]`, MAX_NAME_CHARS);
}

/**
 * The name JavaScript gives a method, getter or setter (`fn.name`): its key's name, with
 * `get ` or `set ` before it for an accessor, as ECMAScript's MethodDefinitionEvaluation does.
 */
export function methodName(member: EsNode, source: string): string {
  const name = propertyKeyName(member, source);
  const kind = member['kind'];
  return kind === 'get' || kind === 'set' ? `${kind} ${name}` : name;
}

/**
 * The name an anonymous function or class gets as the value of object-literal property
 * `property` (`{ p: () => 1 }` → `p`, `{ m() {} }` → `m`, `{ get x() {} }` → `get x`), or
 * undefined for `__proto__: …`, which sets the prototype and names nothing.
 */
export function propertyValueName(property: EsNode, source: string): string | undefined {
  const key = property['key'];
  const protoSetter =
    property['kind'] === 'init' &&
    property['method'] !== true &&
    property['shorthand'] !== true &&
    property['computed'] !== true &&
    isNode(key) &&
    (key['name'] === '__proto__' || key['value'] === '__proto__');
  return protoSetter ? undefined : methodName(property, source);
}

/**
 * The expression inside TypeScript's type-only wrappers (and parentheses, when the parser keeps
 * them), where a name given to the whole reaches a function: `const f = (() => 1) as H` names it `f`.
 */
export function unwrapTypeOnly(node: EsNode): EsNode | undefined {
  if (!TYPE_WRAPPERS.has(node.type)) return undefined;
  const inner = node['expression'];
  return isNode(inner) ? inner : undefined;
}

/**
 * Whether assignment operator `operator` names an anonymous function on its right: `=` and
 * the logical assignments (`x ||= () => 1`) do; arithmetic ones (`x += …`) do not.
 */
export function assignmentNames(operator: unknown): boolean {
  return operator === '=' || operator === '&&=' || operator === '||=' || operator === '??=';
}

/** A key known without running the code: string, number, bigint literals, templates without `${}`, `-1`. */
function literalKey(key: EsNode): string | undefined {
  switch (key.type) {
    case 'Literal': {
      if (key['regex'] !== undefined && key['regex'] !== null) return undefined;
      const value = key['value'];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === null) return String(value);
      // A bigint the parser could not represent as a value: its digits.
      return typeof key['bigint'] === 'string' ? BigInt(key['bigint']).toString() : undefined;
    }
    case 'TemplateLiteral': {
      const quasis = key['quasis'];
      const expressions = key['expressions'];
      if (!Array.isArray(quasis) || !Array.isArray(expressions) || expressions.length > 0 || quasis.length !== 1) return undefined;
      const cooked: unknown = isNode(quasis[0]) ? (quasis[0]['value'] as { cooked?: unknown } | undefined)?.cooked : undefined;
      return typeof cooked === 'string' ? cooked : undefined;
    }
    case 'UnaryExpression': {
      const argument = key['argument'];
      if (key['operator'] !== '-' || !isNode(argument) || argument.type !== 'Literal') return undefined;
      const value = argument['value'];
      return typeof value === 'number' || typeof value === 'bigint' ? String(-value) : undefined;
    }
    default:
      return undefined;
  }
}
