import type { LineRange, Scope, ScopeSymbol, ScopeType, SymbolType } from '../scope/scope.js';
import { identName, isNode, truncate } from './es-node.js';
import { assignmentNames, methodName, propertyKeyName, propertyValueName, unwrapTypeOnly } from './function-names.js';
import { LineTable } from './line-table.js';
import type { EsNode } from './parser.js';

/** Type annotations longer than this are cut: a symbol's type is a hint, not a type dump. */
const MAX_TYPE_CHARS = 200;
/** Keys holding types or decorators only: never code that can hold a function or a binding. */
const SKIPPED_KEYS = new Set(['type', 'start', 'end', 'range', 'loc', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'implements', 'decorators']);
/** TypeScript declarations with no runtime code. */
const TYPE_ONLY = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSEmptyBodyFunctionExpression', 'TSImportEqualsDeclaration', 'TSExportAssignment', 'TSNamespaceExportDeclaration', 'TSIndexSignature', 'ImportDeclaration']);

type FrameKind = 'module' | 'namespace' | 'class' | 'function' | 'block';

/** A scope being built; closed into a `Scope` when its node has been walked. */
class Frame {
  public symbols: ScopeSymbol[] | undefined;
  public children: Scope[] | undefined;
  /** Where `var` declarations land: the nearest function, module, namespace or static block. */
  public readonly varTarget: Frame;

  public constructor(
    public readonly kind: FrameKind,
    public readonly scopeType: ScopeType,
    public readonly name: string,
    public readonly startLine: number,
    public readonly endLine: number,
    public readonly parent: Frame | undefined,
    isVarTarget: boolean,
  ) {
    this.varTarget = isVarTarget || parent === undefined ? this : parent.varTarget;
  }

  public addSymbol(symbol: ScopeSymbol): void {
    (this.symbols ??= []).push(symbol);
  }

  public addChild(scope: Scope): void {
    (this.children ??= []).push(scope);
  }
}

interface Binding {
  readonly name: string;
  readonly offset: number;
  readonly type: string | null;
}

/**
 * Builds the scope tree of one file from its ESTree / TS-ESTree program: the module, its
 * classes (fields, static fields), functions, methods and closures (arguments) and the blocks
 * that declare locals. A block that declares nothing is folded into its parent.
 * Throws RangeError for an AST nested deeper than the stack (the caller counts the file as failed).
 */
export class ScopeBuilder {
  readonly #source: string;
  readonly #lines: LineTable;
  readonly #path: string;

  public constructor(source: string, path: string) {
    this.#source = source;
    this.#lines = new LineTable(source);
    this.#path = path;
  }

  public build(program: EsNode, fileHash: string): Scope {
    // The last line is the one holding the last character: a final newline does not open a line.
    const lastLine = this.#lines.lineAt(Math.max(0, this.#source.length - 1));
    const module = new Frame('module', 'module', this.#path, 1, lastLine, undefined, true);
    this.#visitStatements(program['body'], module);
    return {
      scope_type: 'module',
      name: this.#path,
      source_file: this.#path,
      start_line: module.startLine,
      end_line: module.endLine,
      has_injectible_lines: false,
      language_specifics: { file_hash: fileHash },
      ...(module.symbols === undefined ? {} : { symbols: module.symbols }),
      ...(module.children === undefined ? {} : { scopes: module.children }),
    };
  }

  #visitStatements(list: unknown, frame: Frame): void {
    if (!Array.isArray(list)) return;
    for (const item of list) if (isNode(item)) this.#visit(item, frame);
  }

  #visit(node: EsNode, frame: Frame, hint?: string): void {
    switch (node.type) {
      case 'FunctionDeclaration':
        if (node['body'] != null && node['declare'] !== true) this.#visitFunction(node, frame, 'function', identName(node['id']) ?? hint ?? 'default', node.start);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        // `const handler = async () => {}` or `exports.handler = …` at the top of a module is how
        // JavaScript declares functions: those are functions, other function expressions closures.
        const declared = hint !== undefined && frame.kind === 'module';
        this.#visitFunction(node, frame, declared ? 'function' : 'closure', identName(node['id']) ?? hint ?? '<anonymous>', node.start);
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node['declare'] !== true) this.#visitClass(node, frame, hint);
        return;
      case 'VariableDeclaration':
        this.#visitVariables(node, frame);
        return;
      case 'BlockStatement':
        this.#withBlock(node, frame, false, (block) => this.#visitStatements(node['body'], block));
        return;
      case 'StaticBlock':
        this.#withBlock(node, frame, true, (block) => this.#visitStatements(node['body'], block));
        return;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        this.#withBlock(node, frame, false, (block) => this.#visitChildren(node, block));
        return;
      case 'CatchClause':
        this.#withBlock(node, frame, false, (block) => {
          if (isNode(node['param'])) for (const b of this.#bindings(node['param'], block)) block.addSymbol(this.#symbol(b, 'local'));
          const body = node['body'];
          if (isNode(body)) this.#visitStatements(body['body'], block);
        });
        return;
      case 'SwitchStatement':
        if (isNode(node['discriminant'])) this.#visit(node['discriminant'], frame);
        this.#withBlock(node, frame, false, (block) => this.#visitStatements(node['cases'], block));
        return;
      case 'TSModuleDeclaration':
        this.#visitNamespace(node, frame);
        return;
      case 'TSEnumDeclaration': {
        const name = identName(node['id']);
        if (name !== undefined && node['declare'] !== true) frame.addSymbol({ name, type: null, symbol_type: symbolTypeIn(frame), line: this.#line(node.start) });
        return;
      }
      case 'ExportDefaultDeclaration':
        if (isNode(node['declaration'])) this.#visit(node['declaration'], frame, 'default');
        return;
      case 'AssignmentExpression':
        if (isNode(node['left'])) this.#visit(node['left'], frame);
        if (isNode(node['right'])) this.#visit(node['right'], frame, assignmentNames(node['operator']) ? targetName(node['left']) : undefined);
        return;
      case 'AssignmentPattern':
        // A default in a destructuring assignment, `({ a = () => 1 } = o)`: named after its target.
        if (isNode(node['left'])) this.#visit(node['left'], frame);
        if (isNode(node['right'])) this.#visit(node['right'], frame, identName(node['left']));
        return;
      case 'Property':
        if (isNode(node['value'])) this.#visit(node['value'], frame, propertyValueName(node, this.#source));
        return;
      default: {
        if (TYPE_ONLY.has(node.type)) return;
        const inner = unwrapTypeOnly(node);
        if (inner !== undefined) this.#visit(inner, frame, hint);
        else this.#visitChildren(node, frame);
      }
    }
  }

  #visitChildren(node: EsNode, frame: Frame): void {
    for (const key in node) {
      if (SKIPPED_KEYS.has(key)) continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.#visit(item, frame);
      } else if (isNode(value)) {
        this.#visit(value, frame);
      }
    }
  }

  #visitFunction(node: EsNode, parent: Frame, scopeType: ScopeType, name: string, startOffset: number): void {
    const start = this.#line(startOffset);
    const end = this.#endLine(node);
    const frame = new Frame('function', scopeType, name, start, end, parent, true);
    this.#addParams(node['params'], frame, undefined);
    const body = node['body'];
    if (isNode(body)) {
      if (body.type === 'BlockStatement') this.#visitStatements(body['body'], frame);
      else this.#visit(body, frame);
    }
    parent.addChild(this.#close(frame, [{ start, end }]));
  }

  /** Arguments of `frame`; constructor parameter properties also become fields of `owner`. */
  #addParams(params: unknown, frame: Frame, owner: Frame | undefined): void {
    if (!Array.isArray(params)) return;
    for (const param of params) {
      if (!isNode(param)) continue;
      const property = param.type === 'TSParameterProperty';
      const target = property && isNode(param['parameter']) ? param['parameter'] : param;
      for (const binding of this.#bindings(target, frame)) {
        if (binding.name === 'this') continue; // TypeScript's `this:` annotation, not an argument
        frame.addSymbol(this.#symbol(binding, 'arg'));
        if (property && owner !== undefined) owner.addSymbol(this.#symbol(binding, param['static'] === true ? 'static_field' : 'field'));
      }
    }
  }

  #visitClass(node: EsNode, parent: Frame, hint: string | undefined): void {
    const id = node['id'];
    const decorated = Array.isArray(node['decorators']) && node['decorators'].length > 0;
    // A decorated class's span starts at its first decorator; its name is where readers look.
    const startOffset = decorated && isNode(id) ? id.start : node.start;
    if (isNode(node['superClass'])) this.#visit(node['superClass'], parent);
    const frame = new Frame('class', 'class', identName(id) ?? hint ?? '<anonymous>', this.#line(startOffset), this.#endLine(node), parent, false);
    const body = node['body'];
    const members: unknown = isNode(body) ? body['body'] : undefined;
    if (Array.isArray(members)) for (const member of members) if (isNode(member)) this.#visitMember(member, frame);
    parent.addChild(this.#close(frame, undefined));
  }

  #visitMember(member: EsNode, frame: Frame): void {
    switch (member.type) {
      case 'MethodDefinition':
      case 'TSAbstractMethodDefinition': {
        const fn = member['value'];
        if (!isNode(fn) || fn.type !== 'FunctionExpression' || !isNode(fn['body'])) return;
        const key = member['key'];
        const start = this.#line(isNode(key) ? key.start : member.start);
        const end = this.#endLine(member);
        const method = new Frame('function', 'method', methodName(member, this.#source), start, end, frame, true);
        this.#addParams(fn['params'], method, member['kind'] === 'constructor' ? frame : undefined);
        this.#visitStatements(fn['body']['body'], method);
        frame.addChild(this.#close(method, [{ start, end }]));
        return;
      }
      case 'PropertyDefinition':
      case 'TSAbstractPropertyDefinition':
      case 'AccessorProperty': {
        const name = propertyKeyName(member, this.#source);
        const key = member['key'];
        frame.addSymbol({
          name,
          type: this.#typeText(member['typeAnnotation']),
          symbol_type: member['static'] === true ? 'static_field' : 'field',
          line: this.#line(isNode(key) ? key.start : member.start),
        });
        if (isNode(member['value'])) this.#visit(member['value'], frame, name);
        return;
      }
      case 'StaticBlock':
        this.#visit(member, frame);
        return;
      default:
        return; // index signatures and other type-only members
    }
  }

  #visitVariables(node: EsNode, frame: Frame): void {
    if (node['declare'] === true) return;
    const target = node['kind'] === 'var' ? frame.varTarget : frame;
    const declarations = node['declarations'];
    if (!Array.isArray(declarations)) return;
    for (const declarator of declarations) {
      if (!isNode(declarator) || !isNode(declarator['id'])) continue;
      for (const binding of this.#bindings(declarator['id'], frame)) target.addSymbol(this.#symbol(binding, symbolTypeIn(target)));
      if (isNode(declarator['init'])) this.#visit(declarator['init'], frame, identName(declarator['id']));
    }
  }

  /** A TypeScript namespace runs as a function whose locals are the namespace's members. */
  #visitNamespace(node: EsNode, parent: Frame): void {
    const body = node['body'];
    if (node['declare'] === true || !isNode(body)) return;
    const id = node['id'];
    const name = isNode(id) ? this.#source.slice(id.start, id.end) : '<namespace>';
    const frame = new Frame('namespace', 'class', name, this.#line(node.start), this.#endLine(node), parent, true);
    if (body.type === 'TSModuleBlock') this.#visitStatements(body['body'], frame);
    else this.#visit(body, frame); // `namespace A.B {}`: the inner declaration
    parent.addChild(this.#close(frame, undefined));
  }

  #withBlock(node: EsNode, parent: Frame, isVarTarget: boolean, walk: (block: Frame) => void): void {
    const block = new Frame('block', 'local', '', this.#line(node.start), this.#endLine(node), parent, isVarTarget);
    walk(block);
    if (block.symbols === undefined) {
      // Nothing declared here: its nested scopes belong to the parent.
      if (block.children !== undefined) for (const child of block.children) parent.addChild(child);
      return;
    }
    parent.addChild(this.#close(block, undefined));
  }

  #close(frame: Frame, injectible: LineRange[] | undefined): Scope {
    return {
      scope_type: frame.scopeType,
      name: frame.name,
      source_file: this.#path,
      start_line: frame.startLine,
      end_line: frame.endLine,
      has_injectible_lines: injectible !== undefined,
      ...(injectible === undefined ? {} : { injectible_lines: injectible }),
      ...(frame.symbols === undefined ? {} : { symbols: frame.symbols }),
      ...(frame.children === undefined ? {} : { scopes: frame.children }),
    };
  }

  /** The names a pattern binds; default values are walked in `frame` (they may hold closures). */
  #bindings(pattern: EsNode, frame: Frame, out: Binding[] = [], outerType?: unknown): Binding[] {
    switch (pattern.type) {
      case 'Identifier':
        out.push({ name: pattern['name'] as string, offset: pattern.start, type: this.#typeText(pattern['typeAnnotation'] ?? outerType) });
        break;
      case 'AssignmentPattern':
        if (isNode(pattern['left'])) this.#bindings(pattern['left'], frame, out, pattern['typeAnnotation']);
        // `cb = (x) => x`, `{ a = () => 1 }`: a default is named after the binding it defaults.
        if (isNode(pattern['right'])) this.#visit(pattern['right'], frame, identName(pattern['left']));
        break;
      case 'RestElement':
        if (isNode(pattern['argument'])) this.#bindings(pattern['argument'], frame, out, pattern['typeAnnotation']);
        break;
      case 'ArrayPattern':
        for (const element of pattern['elements'] as unknown[]) if (isNode(element)) this.#bindings(element, frame, out);
        break;
      case 'ObjectPattern':
        for (const property of pattern['properties'] as unknown[]) {
          if (!isNode(property)) continue;
          if (property.type === 'RestElement') this.#bindings(property, frame, out);
          else if (isNode(property['value'])) this.#bindings(property['value'], frame, out);
        }
        break;
      default:
        break; // member expressions in assignment patterns bind nothing
    }
    return out;
  }

  #symbol(binding: Binding, symbolType: SymbolType): ScopeSymbol {
    return { name: binding.name, type: binding.type, symbol_type: symbolType, line: this.#line(binding.offset) };
  }

  #typeText(annotation: unknown): string | null {
    if (!isNode(annotation)) return null;
    const inner = annotation.type === 'TSTypeAnnotation' && isNode(annotation['typeAnnotation']) ? annotation['typeAnnotation'] : annotation;
    return truncate(this.#source.slice(inner.start, inner.end).replace(/\s+/g, ' '), MAX_TYPE_CHARS);
  }

  #line(offset: number): number {
    return this.#lines.lineAt(offset);
  }

  /** `end` is exclusive: the last line is the one holding the node's last character. */
  #endLine(node: EsNode): number {
    return this.#lines.lineAt(Math.max(node.start, node.end - 1));
  }
}

/** `x = …` → x, `exports.handler = …` → handler, `a[b] = …` → none. */
function targetName(value: unknown): string | undefined {
  if (!isNode(value)) return undefined;
  if (value.type === 'Identifier') return value['name'] as string;
  if (value.type === 'MemberExpression' && value['computed'] !== true) return identName(value['property']);
  return undefined;
}

function symbolTypeIn(frame: Frame): SymbolType {
  return frame.kind === 'module' || frame.kind === 'namespace' ? 'static_field' : 'local';
}
