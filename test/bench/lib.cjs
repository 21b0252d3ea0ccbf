// What the benchmark scripts share: the native harness's build, result
// checks, and the fastest of several runs.
const fs = require('fs');
const path = require('path');

// What the native binary was built as, from the CMakeCache.txt above it.
function buildInfo(binary) {
  for (let dir = path.dirname(path.resolve(binary)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const cache = path.join(dir, 'CMakeCache.txt');
    if (!fs.existsSync(cache)) continue;
    const text = fs.readFileSync(cache, 'utf8');
    const get = (key) => (text.match(new RegExp(`^${key}:[A-Z]+=(.*)$`, 'm')) || [])[1] || '';
    const sanitized = /^(ON|TRUE|1)$/i.test(get('WASMRTC_SANITIZE'));
    return `${get('CMAKE_BUILD_TYPE') || 'no build type'}${sanitized ? ', ASan/UBSan (native figures not meaningful)' : ''}`;
  }
  return 'unknown build';
}

function check(result, what) {
  if (result && result.error) throw new Error(`${what}: ${result.error.code}: ${result.error.message}`);
  return result;
}

// The fastest of several runs, per field.
function fastest(runs, fields) {
  const best = { ...runs[0] };
  for (const r of runs) for (const f of fields) best[f] = Math.min(best[f], r[f]);
  return best;
}

module.exports = { buildInfo, check, fastest };
