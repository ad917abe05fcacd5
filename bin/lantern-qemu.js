#!/usr/bin/env node
// `lantern-qemu`: the same program as `lantern`, whose --version first line reads
// "QEMU emulator version 7.2.0 (Lantern X.Y.Z)" for Makefiles that parse QEMU's version
// (dist/cli.js chooses this from the name it was started by, which contains "qemu").
require('../dist/cli.js');
