/**
 * Name inference for function scopes, after the rules of Sentry's symbolic crate: a scope is
 * named after its own identifier, or else after the variable, property, assignment target or
 * class that it is bound to.
 */

/** One part of a scope name: an identifier of the minified source (with its offset) or fixed text. */
export interface NameComponent {
  text: string;
  /** Offset of an identifier in the minified source; absent for fixed text such as `.`. */
  offset?: number;
}

export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
]);
export const CLASS_TYPES = new Set(['ClassDeclaration', 'ClassExpression']);

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

export function isMethod(parent: AstNode, node: AstNode): boolean {
  if (parent.value !== node) {
    return false;
  }
  return (
    parent.type === 'MethodDefinition' ||
    (parent.type === 'Property' && (parent.method === true || parent.kind !== 'init'))
  );
}

export function ownName(node: AstNode): NameComponent[] | undefined {
  const id = node.id;
  return isNode(id) && id.type === 'Identifier' ? [identifier(id)] : undefined;
}

function identifier(node: AstNode): NameComponent {
  return { text: typeof node.name === 'string' ? node.name : '', offset: node.start };
}

/** Returns the name of a property key: `foo` for `foo:` or `foo()`, `#foo` for a private one. */
function keyName(owner: AstNode): NameComponent[] | undefined {
  const key = owner.key;
  if (owner.computed === true || !isNode(key)) {
    return undefined;
  }
  if (key.type === 'Identifier') {
    return [identifier(key)];
  }
  if (key.type === 'PrivateIdentifier') {
    return [{ text: '#' }, identifier(key)];
  }
  return undefined;
}

/**
 * Infers a name from the code a function or class is bound to, walking up its ancestors.
 * Object-literal keys and class fields add a prefix and the walk goes on. A named class, an
 * assignment target or a variable completes the name. When another function comes first, the
 * scope has no name, as in symbolic.
 */
export function inferName(node: AstNode, ancestors: AstNode[]): NameComponent[] | undefined {
  let name: NameComponent[] = [];
  let index = ancestors.length - 1;

  const methodOwner = ancestors[index];
  if (methodOwner !== undefined && isMethod(methodOwner, node)) {
    name = keyName(methodOwner) ?? [];
    index -= 1;
  }

  const prepend = (prefix: NameComponent[]): void => {
    name = name.length === 0 ? prefix : [...prefix, { text: '.' }, ...name];
  };

  for (; index >= 0; index -= 1) {
    const ancestor = ancestors[index];
    if (ancestor === undefined || FUNCTION_TYPES.has(ancestor.type)) {
      return undefined;
    }

    if (ancestor.type === 'Property' || ancestor.type === 'PropertyDefinition') {
      const key = keyName(ancestor);
      if (key !== undefined) {
        prepend(key);
      }
    } else if (CLASS_TYPES.has(ancestor.type)) {
      const className = ownName(ancestor);
      if (className !== undefined) {
        prepend(className);
        return name;
      }
    } else if (ancestor.type === 'AssignmentExpression' && isNode(ancestor.left)) {
      const target = expressionName(ancestor.left);
      if (target !== undefined) {
        prepend(target);
        return name;
      }
    } else if (ancestor.type === 'VariableDeclarator' && isNode(ancestor.id)) {
      if (ancestor.id.type === 'Identifier') {
        prepend([identifier(ancestor.id)]);
        return name;
      }
    }
  }

  return undefined;
}

/**
 * Members an assignment target may chain before its function goes unnamed. Longer chains come
 * only from crafted sources, and each would cost time and frame size for a useless name.
 */
const MAX_TARGET_MEMBERS = 100;

/**
 * Names `a`, `a.b.c` and `this.a`; other expressions (calls, computed members) and chains of
 * more than {@link MAX_TARGET_MEMBERS} members have none.
 */
function expressionName(expression: AstNode): NameComponent[] | undefined {
  const parts: NameComponent[] = [];
  let current: AstNode = expression;

  for (let members = 1; current.type === 'MemberExpression'; members += 1) {
    const property = current.property;
    if (
      members > MAX_TARGET_MEMBERS ||
      current.computed === true ||
      !isNode(property) ||
      !isNode(current.object)
    ) {
      return undefined;
    }
    const key =
      property.type === 'PrivateIdentifier'
        ? [{ text: '#' }, identifier(property)]
        : [identifier(property)];
    parts.unshift({ text: '.' }, ...key);
    current = current.object;
  }

  if (current.type === 'Identifier') {
    return [identifier(current), ...parts];
  }
  if (current.type === 'ThisExpression') {
    return [{ text: 'this' }, ...parts];
  }
  return undefined;
}
