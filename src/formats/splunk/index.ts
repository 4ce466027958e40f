export { readSplunk, parseSpl, type SplunkReadOptions, type SplParseOptions } from './reader.js';
export { BUILTIN_MACROS, expandMacros, findSplunkMacros, loadMacros, macroKey, readMacroFile, type MacroCall, type MacroDefinition, type MacroTable } from './macros.js';
export { riskScore, riskSeverity, DETECTION_TYPES } from './metadata.js';
export { loadDataSources, loadStories, readDataSource, readStory, type SplunkDataSource, type SplunkStory } from './catalog-data.js';
export { readSourceMd, readSplunkCorpus, type SplunkCorpus } from './corpus.js';
