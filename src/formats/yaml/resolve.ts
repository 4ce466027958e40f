/**
 * Plain-scalar resolution, in one place so both parse paths agree exactly (js-yaml and `yaml`
 * differ on a few edge cases such as `0b101` and `+0x1`).
 *
 * RuleAtlas reads YAML 1.2 (core schema), as the Sigma specification says. PyYAML, and so pySigma,
 * read YAML 1.1, where `yes`/`no`/`on`/`off` are booleans, `017` is octal, `1_000` and `1:20` are
 * numbers and `2021-05-14` is a date. {@link yaml11Reading} says where a 1.1 reader would see a
 * different value, so readers can tell the user.
 */

const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(inf|Inf|INF)$/;
const NAN = /^\.(nan|NaN|NAN)$/;

export function resolvePlain(raw: string): string | number | boolean | null {
  switch (raw) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (INT_DEC.test(raw)) return Number(raw);
  if (INT_OCT.test(raw)) return parseInt(raw.slice(2), 8);
  if (INT_HEX.test(raw)) return parseInt(raw.slice(2), 16);
  if (FLOAT.test(raw)) return Number(raw);
  if (INF.test(raw)) return raw.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(raw)) return NaN;
  return raw;
}

const Y11_BOOL = /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;
const Y11_OCT = /^[-+]?0[0-7_]+$/;
const Y11_UNDERSCORE_INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*)$/;
const Y11_SEXAGESIMAL = /^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
const Y11_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)/;

/**
 * What a YAML 1.1 reader (PyYAML) makes of a plain scalar when it differs from YAML 1.2, as a short
 * phrase (`the boolean true`), or null when both agree.
 */
export function yaml11Reading(raw: string): string | null {
  if (Y11_BOOL.test(raw)) return `the boolean ${/^(yes|on)$/i.test(raw)}`;
  if (Y11_OCT.test(raw) && raw.replace(/^[-+]/, '') !== '0') return `the octal number ${parseInt(raw.replace(/_/g, ''), 8)}`;
  if (raw.includes('_') && Y11_UNDERSCORE_INT.test(raw)) return `the number ${Number(raw.replace(/_/g, ''))}`;
  if (Y11_SEXAGESIMAL.test(raw)) return 'a base-60 number';
  if (Y11_TIMESTAMP.test(raw)) return 'a date';
  return null;
}
