'use strict';
// The launcher lives in shim/dev/ (the demo uses it too).
module.exports = require('../../shim/dev/gateway.cjs');
