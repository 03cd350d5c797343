#!/usr/bin/env node
// `npm run build:lib` starts from an empty dist/: the output of a module that was moved or deleted
// would otherwise stay behind and ship in the package.
import { rmSync } from "node:fs";

rmSync(new URL("../dist/", import.meta.url), { recursive: true, force: true });
