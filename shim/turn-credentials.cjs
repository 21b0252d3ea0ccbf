'use strict';
// Time-limited TURN credentials for a page, so that no long-term TURN
// password is ever put in HTML: the "TURN REST API" scheme
// (draft-uberti-behave-turn-rest-00, section 2.2) that coturn implements
// with `use-auth-secret` and `static-auth-secret=SECRET`. The application's
// server, which knows who the user is, mints them per page load:
//
//   const { turnCredentials } = require('wasmrtc/turn-credentials');
//   const { username, credential } = turnCredentials({ secret, user: 'u42', ttl: 3600 });
//   // -> iceServers: [{ urls: 'turn:turn.example:3478?transport=tcp', username, credential }]
//
// username is "<expiry, Unix seconds>:<user>" and credential is
// base64(HMAC-SHA1(secret, username)); coturn recomputes the HMAC and
// refuses the credentials (401) once the expiry has passed.
const crypto = require('crypto');

const MAX_TTL_SECONDS = 7 * 24 * 3600;

/**
 * @param {{ secret: string, user?: string, ttl?: number, now?: number }} options
 *   secret: coturn's static-auth-secret; user: who the credentials are for
 *   (any text without ':'), ttl: seconds they stay valid (default 3600, at
 *   most a week); now: the current time in ms (default Date.now()).
 * @returns {{ username: string, credential: string, ttl: number, expires: number }}
 *   expires is in ms since the epoch.
 */
function turnCredentials({
  secret, user = '', ttl = 3600, now = Date.now(),
} = {}) {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError('turnCredentials: secret must be a non-empty string (coturn static-auth-secret)');
  }
  if (typeof user !== 'string' || user.includes(':')) {
    throw new TypeError("turnCredentials: user must be a string without ':' (coturn's separator)");
  }
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
    throw new RangeError(`turnCredentials: ttl must be a whole number of seconds in 1..${MAX_TTL_SECONDS}`);
  }
  const expiry = Math.floor(now / 1000) + ttl;
  const username = user ? `${expiry}:${user}` : String(expiry);
  const credential = crypto.createHmac('sha1', secret).update(username).digest('base64');
  return {
    username, credential, ttl, expires: expiry * 1000,
  };
}

module.exports = { turnCredentials };
