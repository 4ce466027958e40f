/**
 * RuleAtlas as a library: the intermediate form and the readers.
 */
export * from './model/index.js';
export { readSigma, type SigmaReadOptions } from './formats/sigma/index.js';
export { loadRuleFile, type LoadOptions } from './formats/load.js';
export { parseYamlDocuments } from './formats/yaml/index.js';
export { VERSION } from './version.js';
