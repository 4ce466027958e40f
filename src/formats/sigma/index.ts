export { readSigma, type SigmaReadOptions } from './reader.js';
export { parseSigmaString, classify } from './sigma-string.js';
export { MODIFIER_NAMES, base64Offsets, WINDASH_CHARS, cidrProblem } from './modifiers.js';
export { parseTimespan } from './correlation.js';
export { SIGMA_TACTICS, allowedFields, type LogsourceFields, type ValidationContext, type TagCheck } from './validators.js';
export { corpusFindings } from './corpus.js';
export { findLogsourceFields, loadLogsourceFields } from './repo-data.js';
