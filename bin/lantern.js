#!/usr/bin/env node
// The `lantern` command: the bundled CLI (npm run build:host writes dist/cli.js).
require('../dist/cli.js');
