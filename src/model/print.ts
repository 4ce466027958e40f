import { valueText, type Expr, type Value } from './expr.js';

/**
 * A readable, vendor-neutral rendering of an expression: what `explain` prints and the web app
 * shows as a rule's predicates. One line per leaf, indented by nesting.
 */
export function printExpr(expr: Expr, indent = ''): string {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const head = `${indent}${expr.kind.toUpperCase()}${expr.label ? `  [${expr.label}]` : ''}`;
      return [head, ...expr.args.map((a) => printExpr(a, indent + '  '))].join('\n');
    }
    case 'not':
      return [`${indent}NOT${expr.label ? `  [${expr.label}]` : ''}`, printExpr(expr.arg, indent + '  ')].join('\n');
    default:
      return indent + printLeaf(expr) + (expr.label ? `  [${expr.label}]` : '');
  }
}

/** One leaf as a single line: `CommandLine contains any of " tcp 139", " tcp 445"`. */
export function printLeaf(expr: Expr): string {
  switch (expr.kind) {
    case 'match': {
      const op = expr.operator + (expr.part ? `(${expr.part})` : '') + (expr.caseSensitive && expr.operator !== 'regex' ? ' (cased)' : '') + (expr.flags ? `/${expr.flags}` : '');
      const extras = expr.transforms?.length ? `  via ${expr.transforms.join('|')}` : '';
      return `${expr.field} ${op} ${quantified(expr.values, expr.all)}${extras}`;
    }
    case 'keyword':
      return `keyword ${expr.operator}${expr.caseSensitive && expr.operator !== 'regex' ? ' (cased)' : ''} ${quantified(expr.values, expr.all)}`;
    case 'exists':
      return `${expr.field} exists`;
    case 'compare':
      return `${expr.field}${expr.part ? `(${expr.part})` : ''} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[expr.op]} ${expr.value}`;
    case 'fieldref':
      return `${expr.field} ${expr.operator} field ${expr.other}`;
    case 'opaque':
      return `OPAQUE (${expr.reason})${expr.text ? `: ${expr.text}` : ''}`;
    default:
      return printExpr(expr);
  }
}

function quantified(values: Value[], all: boolean): string {
  const shown = values.slice(0, 20).map(quote).join(', ');
  const more = values.length > 20 ? `, … (${values.length - 20} more)` : '';
  if (values.length === 1) return shown;
  return `${all ? 'all of' : 'any of'} ${shown}${more}`;
}

function quote(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(valueText(v)) + ' (pattern)';
  return valueText(v);
}
