/**
 * Windows timestamps rendered the way evtx_dump / Chainsaw / Hayabusa print them:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fraction digits, UTC.
 *
 * Done with integer arithmetic instead of `Date` because FILETIME has 100 ns ticks (more
 * precision than a double holds for a u64 tick count) and dates before 1970 are common
 * (a zero FILETIME is 1601-01-01).
 */

import { u16At, u32At } from './cursor.js';

const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + String(i));
/** Days from 1601-01-01 to 1970-01-01. */
const DAYS_1601_TO_1970 = 134774;
const TICKS_PER_SECOND = 1e7;
/** 2^32 mod 10^7: lets us take the tick count modulo 10^7 exactly from its two 32-bit halves. */
const TWO32_MOD_1E7 = 4294967296 % TICKS_PER_SECOND;

function pad4(n: number): string {
  return n >= 1000 ? String(n) : n >= 0 ? String(n).padStart(4, '0') : '-' + String(-n).padStart(4, '0');
}

function pad6(n: number): string {
  return n >= 100000 ? String(n) : String(n).padStart(6, '0');
}

/** Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil inverse). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function format(days1970: number, secondOfDay: number, micros: number): string {
  const [y, m, d] = civil(days1970);
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  const ss = secondOfDay % 60;
  return `${pad4(y)}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}T${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[ss]}.${pad6(micros)}Z`;
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) given as its low and high 32-bit halves. */
export function formatFiletime(lo: number, hi: number): string {
  // The remainder is exact; the quotient from the (inexact) double is then off by far less
  // than one second, so rounding it recovers the exact second count.
  const rem = ((hi % TICKS_PER_SECOND) * TWO32_MOD_1E7 + lo) % TICKS_PER_SECOND;
  const seconds = Math.round((hi * 4294967296 + lo - rem) / TICKS_PER_SECOND);
  const days = Math.floor(seconds / 86400);
  return format(days - DAYS_1601_TO_1970, seconds - days * 86400, Math.floor(rem / 10));
}

export function filetimeAt(b: Buffer, p: number): string {
  return formatFiletime(u32At(b, p), u32At(b, p + 4));
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * SYSTEMTIME: eight u16 (year, month, day of week, day, hour, minute, second, milliseconds).
 * The day of week is redundant and ignored. Returns null for a date that does not exist
 * (an all-zero SYSTEMTIME is common for "not set"), since no honest string can be printed.
 */
export function systemtimeAt(b: Buffer, p: number): string | null {
  const y = u16At(b, p);
  const m = u16At(b, p + 2);
  const d = u16At(b, p + 6);
  const hh = u16At(b, p + 8);
  const mm = u16At(b, p + 10);
  const ss = u16At(b, p + 12);
  const ms = u16At(b, p + 14);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || hh > 23 || mm > 59 || ss > 59 || ms > 999) return null;
  return format(daysFromCivil(y, m, d), hh * 3600 + mm * 60 + ss, ms * 1000);
}
