/**
 * A typed dependency-injection token. It is a unique symbol whose description is the
 * token's name, so inversify accepts it as a service identifier (`@inject(MY_TOKEN)`) and
 * every message about it can name it.
 */
export type Token<T> = symbol & { readonly __agentkitType?: T };

/** The value type a token stands for. */
export type TokenType<K> = K extends Token<infer T> ? T : never;

/**
 * Creates a token. Two calls with the same name give two different tokens: identity, not
 * the name, is what binds a provider to its consumers. The name is for humans (errors,
 * graphs, logs), so an app rejects two tokens that share one.
 */
export function token<T>(name: string): Token<T> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('token(name): name must be a non-empty string');
  }
  return Symbol(name);
}

/** The name a token was created with. */
export function tokenName(tok: symbol): string {
  return tok.description ?? tok.toString();
}
