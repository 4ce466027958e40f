export { lintRule, type Finding } from './checks.js';
export { alternatives } from './regex-parts.js';
export { BENIGN, valueKind, type ValueKind } from './benign.js';
