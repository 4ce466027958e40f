export * from './span.js';
export * from './diagnostic.js';
export * from './expr.js';
export * from './rule.js';
export * from './indicator.js';
export * from './regex.js';
export * from './suggest.js';
export * from './print.js';
