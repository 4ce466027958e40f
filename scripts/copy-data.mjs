#!/usr/bin/env node
// Copies the data files that live next to the code (pipelines, schemas, taxonomy) into dist/, so
// the compiled package finds them beside the modules that read them.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const DATA = /\.(ya?ml|json)$/;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (DATA.test(name)) cpSync(p, join('dist', relative('src', p)));
  }
}
walk('src');
