export * from './types.js';
export { enrichRule } from './deterministic.js';
export { llmConfigFromEnv, memoryCache, rewriteSection, unsupportedClaim, type LlmCache, type LlmConfig, type RewriteResult } from './llm.js';
