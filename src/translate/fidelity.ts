import type { Fidelity } from './types.js';

/** Collects what a conversion kept, changed and lost, without duplicates. */
export class FidelityRecorder {
  private readonly seen = new Set<string>();
  readonly data: Fidelity;

  constructor(target: string) {
    this.data = { exact: true, target, pipelines: [], sources: [], conditions: [], fields: [], approximated: [], dropped: [], unsupported: [] };
  }

  source(name: string): void {
    if (this.once(`s:${name}`)) this.data.sources.push(name);
  }

  condition(text: string): void {
    if (this.once(`c:${text}`)) this.data.conditions.push(text);
  }

  field(from: string, to: string[]): void {
    if (this.once(`f:${from}>${to.join(',')}`)) this.data.fields.push({ from, to });
  }

  approximated(what: string, how: string): void {
    this.data.exact = false;
    if (this.once(`a:${what}|${how}`)) this.data.approximated.push({ what, how });
  }

  dropped(what: string, why: string): void {
    this.data.exact = false;
    if (this.once(`d:${what}|${why}`)) this.data.dropped.push({ what, why });
  }

  unsupported(what: string, why: string): void {
    this.data.exact = false;
    if (this.once(`u:${what}|${why}`)) this.data.unsupported.push({ what, why });
  }

  private once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
