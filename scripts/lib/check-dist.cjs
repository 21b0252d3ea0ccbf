// prepack guard: the package ships the built module; refuse to pack without it.
const fs = require('fs');
const path = require('path');
const dist = path.join(__dirname, '..', '..', 'dist');
for (const f of ['wasmrtc-core.js', 'wasmrtc-core.wasm']) {
  if (!fs.existsSync(path.join(dist, f))) {
    console.error(`dist/${f} is missing: run scripts/build.sh first`);
    process.exit(1);
  }
}
