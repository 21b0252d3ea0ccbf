'use strict';
// UTF-8 byte length of a string, in Node and browsers alike (no Buffer).
const encoder = new TextEncoder();

function utf8Length(text) {
  return encoder.encode(String(text)).length;
}

module.exports = { utf8Length };
