import { VERSION } from '../version.js';
import { SORTS } from './data.js';
import { SEVERITY_VALUES } from './routes/filters.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const query = (name: string, schema: Schema, description: string, required = false): Schema => ({ name, in: 'query', required, description, schema });

const FILTERS = [
  query('source', { type: 'string', maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' }, 'Corpus the rule came from: sigma, splunk, elastic, sentinel, chronicle'),
  query('severity', { type: 'string', enum: [...SEVERITY_VALUES] }, 'Rule severity'),
  query('status', { type: 'string', maxLength: 40 }, 'Rule status as the source writes it (stable, test, production, ...)'),
  query('tactic', { type: 'string', pattern: '^(TA\\d{4}|[A-Za-z][A-Za-z-]{1,40})$' }, 'ATT&CK tactic id (TA0002) or short name (execution)'),
  query('technique', { type: 'string', pattern: '^[Tt]\\d{4}(\\.\\d{3})?$' }, 'ATT&CK technique id; a technique also matches its sub-techniques'),
  query('platform', { type: 'string', maxLength: 60 }, 'Platform (windows, linux, macos, azure, aws, ...)'),
  query('data_source', { type: 'string', maxLength: 200 }, 'Data source the rule needs, as listed in the facets'),
];
const COVERAGE_FILTERS = FILTERS.filter((p) => !['tactic', 'technique'].includes(p.name as string));
const PAGING = [
  query('page', { type: 'integer', minimum: 1, maximum: 10000, default: 1 }, '1-based page number'),
  query('per_page', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'Items per page'),
];

const errors = (...codes: number[]): Schema => Object.fromEntries(codes.map((c) => [String(c), { $ref: `#/components/responses/E${c}` }]));
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } }, headers: { ETag: { $ref: '#/components/headers/ETag' } } });
const conditional = { '304': { description: 'Not modified: the ETag given in If-None-Match still holds' } };

const pageOf = (item: Schema, extra: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  required: ['total', 'page', 'per_page', 'pages', 'items'],
  properties: {
    total: { type: 'integer' },
    page: { type: 'integer' },
    per_page: { type: 'integer' },
    pages: { type: 'integer' },
    next: { type: ['string', 'null'], description: 'URL of the next page' },
    prev: { type: ['string', 'null'], description: 'URL of the previous page' },
    items: arr(item),
    ...extra,
  },
});

/** The OpenAPI 3.1 document served at /api/openapi.json. */
export function openApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'RuleAtlas API',
      version: VERSION,
      description:
        'Detection rules from Sigma, Splunk, Elastic, Sentinel and Chronicle in one intermediate form: the catalog, search, indicators with corpus counts, ATT&CK coverage and Sigma conversion. Catalog reads carry ETags (answer If-None-Match with 304). Every parameter is validated: unknown or malformed parameters get a 400 with a code and a message.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/rules': { get: { operationId: 'listRules', summary: 'Rules across every source, newest first, with filters and facet counts', parameters: [...FILTERS, query('sort', { type: 'string', enum: [...SORTS] }, 'Order: updated (default), title or severity'), ...PAGING], responses: { '200': json(pageOf(ref('RuleSummary'), { facets: ref('Facets') }), 'A page of rules'), ...conditional, ...errors(400, 503) } } },
      '/api/rules/{id}': {
        get: {
          operationId: 'getRule',
          summary: 'One rule: the intermediate form, indicators with corpus counts, similar rules, enrichment, translations and findings',
          parameters: [{ name: 'id', in: 'path', required: true, description: '<source>:<native id>, e.g. sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31 (colons may be percent-encoded)', schema: { type: 'string', maxLength: 440 } }],
          responses: { '200': json(ref('RuleDetail'), 'The rule'), ...conditional, ...errors(400, 404, 503) },
        },
      },
      '/api/search': { get: { operationId: 'search', summary: 'Full-text search over titles, descriptions, ATT&CK ids and indicator values, with facets', parameters: [query('q', { type: 'string', minLength: 1, maxLength: 200 }, 'Words to search for; a quoted phrase matches exactly', true), ...FILTERS, ...PAGING], responses: { '200': json(pageOf(ref('SearchHit'), { q: { type: 'string' }, facets: ref('Facets') }), 'Matching rules, best first'), ...conditional, ...errors(400, 503) } } },
      '/api/indicators': {
        get: {
          operationId: 'listIndicators',
          summary: 'The most shared indicators (canonical field, operator, value), by field and operator',
          parameters: [query('field', { type: 'string', maxLength: 200 }, 'Canonical field'), query('operator', { type: 'string', maxLength: 40 }, 'Operator: eq, contains, startswith, endswith, wildcard, regex, cidr, exists, gt, ...'), query('q', { type: 'string', maxLength: 200 }, 'Substring of the value'), ...PAGING],
          responses: { '200': json(pageOf(ref('IndicatorCount'), { fields: arr(ref('FacetValue')), operators: arr(ref('FacetValue')) }), 'A page of indicators, most shared first'), ...conditional, ...errors(400, 503) },
        },
      },
      '/api/indicators/rules': {
        get: {
          operationId: 'indicatorRules',
          summary: 'The rules that share one indicator',
          parameters: [query('field', { type: 'string', maxLength: 200 }, 'Canonical field', true), query('operator', { type: 'string', maxLength: 40 }, 'Operator', true), query('value', { type: 'string', maxLength: 500 }, 'Normalized value (empty for exists)'), ...PAGING],
          responses: { '200': json(pageOf(ref('RuleSummary'), { indicator: ref('IndicatorKey') }), 'A page of rules'), ...conditional, ...errors(400, 503) },
        },
      },
      '/api/coverage': { get: { operationId: 'coverage', summary: 'The ATT&CK matrix: rule counts per tactic, technique and sub-technique, by source and severity; gaps', parameters: [...COVERAGE_FILTERS], responses: { '200': json({ type: 'object', required: ['attack', 'columns', 'gaps', 'summary'], properties: { attack: { type: 'object' }, columns: arr({ type: 'object' }), gaps: arr({ type: 'object' }), unplaced: arr({ type: 'object' }), indirect: arr({ type: 'object' }), summary: { type: 'object' } } }, 'The coverage matrix'), ...conditional, ...errors(400, 503) } } },
      '/api/coverage/layer': { get: { operationId: 'coverageLayer', summary: 'An ATT&CK Navigator layer (format 4.5): scores are rule counts', parameters: [...COVERAGE_FILTERS, query('download', { type: 'boolean' }, 'Send as an attachment')], responses: { '200': json({ type: 'object', required: ['name', 'versions', 'domain', 'techniques'] }, 'The layer'), ...conditional, ...errors(400, 503) } } },
      '/api/coverage/csv': { get: { operationId: 'coverageCsv', summary: 'The coverage matrix as CSV', parameters: [...COVERAGE_FILTERS], responses: { '200': { description: 'CSV, one row per (tactic, technique)', content: { 'text/csv': { schema: { type: 'string' } } } }, ...conditional, ...errors(400, 503) } } },
      '/api/convert': {
        post: {
          operationId: 'convert',
          summary: 'Translate pasted Sigma rules into every target (or some), with fidelity reports and lint findings',
          requestBody: {
            required: true,
            description: `At most 160 KB of body, 64 KB of rule text, 32 levels of nesting, 20 documents`,
            content: {
              'application/json': { schema: { type: 'object', required: ['rule'], additionalProperties: false, properties: { rule: { type: 'string', maxLength: 65536 }, targets: arr({ type: 'string' }) } } },
              'text/plain': { schema: { type: 'string' } },
              'application/yaml': { schema: { type: 'string' } },
            },
          },
          responses: { '200': { description: 'One entry per YAML document', content: { 'application/json': { schema: ref('ConvertResult') } } }, ...errors(400, 413, 415, 422) },
        },
      },
      '/api/targets': { get: { operationId: 'targets', summary: 'Conversion targets', responses: { '200': { description: 'Targets', content: { 'application/json': { schema: { type: 'object', properties: { targets: arr({ type: 'object', properties: { name: { type: 'string' }, language: { type: 'string' }, description: { type: 'string' }, pipelines: arr({ type: 'string' }) } }) } } } } } } } },
      '/api/status': { get: { operationId: 'status', summary: 'What is loaded: the catalog summary, its generation, the ATT&CK version', responses: { '200': json({ type: 'object', properties: { catalog: { type: ['object', 'null'] }, generation: { type: 'string' }, attack: { type: ['object', 'null'] } } }, 'Status') } } },
      '/api/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    },
    components: {
      headers: { ETag: { description: 'Weak validator of the catalog generation and the request URL', schema: { type: 'string' } } },
      responses: Object.fromEntries(
        [
          [400, 'Invalid or unknown parameter or body (codes: invalid-parameter, unknown-parameter, missing-parameter, invalid-rule-id, invalid-json, invalid-body, unknown-field, unknown-target)'],
          [404, 'No such rule or route'],
          [413, 'Body or rule text too large (body-too-large, rule-too-large)'],
          [415, 'Unsupported content type'],
          [422, 'Rule text refused before parsing (rule-too-deep, rule-too-many-documents, rule-binary)'],
          [503, 'The catalog or ATT&CK is not loaded'],
        ].map(([code, description]) => [`E${code}`, { description, content: { 'application/json': { schema: ref('Error') } } }]),
      ),
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['status', 'code', 'message'], properties: { status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } } } },
        RuleSummary: {
          type: 'object',
          required: ['id', 'title', 'source', 'format', 'techniques', 'tactics', 'dataSources', 'platforms'],
          properties: { id: str('<source>:<native id>'), title: { type: 'string' }, source: { type: 'string' }, format: { type: 'string', enum: ['sigma', 'splunk', 'kql', 'elastic', 'yaral'] }, severity: { type: 'string' }, status: { type: 'string' }, date: { type: 'string' }, modified: { type: 'string' }, techniques: arr({ type: 'string' }), tactics: arr({ type: 'string' }), dataSources: arr({ type: 'string' }), platforms: arr({ type: 'string' }), description: { type: 'string' } },
        },
        SearchHit: { allOf: [ref('RuleSummary'), { type: 'object', properties: { snippet: { type: 'string' } } }] },
        FacetValue: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer' } } },
        Facets: { type: 'object', additionalProperties: arr(ref('FacetValue')) },
        IndicatorKey: { type: 'object', required: ['field', 'operator', 'value'], properties: { field: { type: 'string' }, operator: { type: 'string' }, value: { type: 'string' } } },
        IndicatorCount: { allOf: [ref('IndicatorKey'), { type: 'object', required: ['display', 'rules', 'sources'], properties: { display: { type: 'string' }, rules: { type: 'integer' }, sources: arr({ type: 'string' }) } }] },
        RuleDetail: {
          type: 'object',
          required: ['id', 'summary', 'rule', 'indicators', 'similar', 'enrichment', 'translations', 'findings'],
          properties: {
            id: { type: 'string' },
            summary: ref('RuleSummary'),
            rule: { type: 'object', description: 'The rule in the intermediate form (src/model/rule.ts): provenance, metadata, body, logic stages with Expr trees, diagnostics' },
            indicators: arr({ type: 'object', description: 'Indicator (src/model/indicator.ts) with corpusCount: how many OTHER rules share it' }),
            searchTerms: arr({ type: 'object' }),
            similar: arr({ allOf: [ref('RuleSummary'), { type: 'object', properties: { shared: { type: 'integer' } } }] }),
            eventCoverage: arr({ type: 'object', properties: { provider: { type: 'string' }, eventId: { type: 'string' }, title: { type: 'string' } } }),
            enrichment: { type: 'object', description: 'attack, dataSources, hypothesis, falsePositives, confidence: each with content, confidence and provenance' },
            translations: arr(ref('Translation')),
            findings: arr({ type: 'object' }),
          },
        },
        Translation: { type: 'object', required: ['target', 'language', 'ok', 'queries', 'fidelity'], properties: { target: { type: 'string' }, language: { type: 'string' }, description: { type: 'string' }, ok: { type: 'boolean' }, queries: arr({ type: 'string' }), error: { type: ['string', 'null'] }, fidelity: ref('Fidelity') } },
        Fidelity: {
          type: 'object',
          required: ['exact', 'target'],
          properties: { exact: { type: 'boolean' }, target: { type: 'string' }, pipelines: arr({ type: 'string' }), sources: arr({ type: 'string' }), conditions: arr({ type: 'string' }), fields: arr({ type: 'object' }), approximated: arr({ type: 'object' }), dropped: arr({ type: 'object' }), unsupported: arr({ type: 'object' }) },
        },
        ConvertResult: {
          type: 'object',
          required: ['rules', 'elapsedMs'],
          properties: {
            elapsedMs: { type: 'number' },
            rules: arr({ type: 'object', required: ['id', 'title', 'kind', 'parsed', 'findings', 'translations'], properties: { id: { type: 'string' }, title: { type: 'string' }, kind: { type: 'string' }, parsed: { type: 'boolean' }, findings: arr({ type: 'object', properties: { code: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } } }), stages: arr({ type: 'object' }), translations: arr(ref('Translation')) } }),
          },
        },
      },
    },
  };
}
