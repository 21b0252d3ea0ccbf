'use strict';
const { utf8Length } = require('./utf8.cjs');
// RTCIceServer URLs: stun:/stuns: (RFC 7064) and turn:/turns: (RFC 7065),
// validated by webrtc-pc's "validate an ICE server URL" algorithm (4.4.1.2
// "set a configuration"), which leans on the WHATWG URL parser:
//   - parsedURL fails, has a scheme other than stun/stuns/turn/turns, has no
//     opaque path, or an opaque path with "/" or "@", has a fragment, or is
//     stun(s) with a query: SyntaxError;
//   - "https://" + the opaque path does not parse, or has a path, username or
//     password: SyntaxError;
//   - a query other than transport=udp / transport=tcp: SyntaxError;
//   - turn(s) without username and credential (or a username over the 509
//     bytes of RFC 8489 section 14.3): InvalidAccessError.
// All four schemes are implemented, so the algorithm's NotSupportedError
// ("scheme not implemented by the user agent") never applies here.

const DEFAULT_PORTS = { stun: 3478, stuns: 5349, turn: 3478, turns: 5349 };
const SCHEMES = Object.keys(DEFAULT_PORTS);
const MAX_USERNAME_BYTES = 509;

function domException(message, name) {
  if (typeof DOMException === 'function') return new DOMException(message, name);
  const e = new Error(message);
  e.name = name;
  return e;
}

function syntaxError(url, why) {
  return domException(`Invalid ICE server URL ${JSON.stringify(url)}: ${why}`, 'SyntaxError');
}

/** Parses one ICE server URL: { url, scheme, host, port, transport, secure }; throws SyntaxError. */
function parseIceUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw syntaxError(url, 'not a URL');
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (!SCHEMES.includes(scheme)) throw syntaxError(url, 'the scheme is not stun, stuns, turn or turns');
  // An opaque path: no authority ("//") and no leading "/" (then host is empty).
  const path = parsed.pathname;
  if (parsed.host !== '' || path === '' || path.startsWith('/')) throw syntaxError(url, 'no host');
  if (path.includes('/') || path.includes('@')) throw syntaxError(url, 'a path or user info');
  // href keeps "?" and "#" whenever query or fragment is non-null, even empty.
  const hasQuery = parsed.href.includes('?');
  if (parsed.href.includes('#')) throw syntaxError(url, 'a fragment');
  if (hasQuery && scheme.startsWith('stun')) throw syntaxError(url, 'stun URLs take no query');
  let hostAndPort;
  try {
    hostAndPort = new URL(`https://${path}`);
  } catch {
    throw syntaxError(url, 'not a host and port');
  }
  if (hostAndPort.pathname !== '/' || hostAndPort.username !== '' || hostAndPort.password !== '' || path.includes('\\')) {
    throw syntaxError(url, 'not a host and port');
  }
  let transport = scheme === 'turns' ? 'tcp' : 'udp';
  if (hasQuery) {
    const query = parsed.search.slice(1);
    if (query !== 'transport=udp' && query !== 'transport=tcp') throw syntaxError(url, 'the query is not transport=udp or transport=tcp');
    transport = query.slice('transport='.length);
  }
  let port = DEFAULT_PORTS[scheme];
  if (hostAndPort.port !== '') port = Number(hostAndPort.port);
  else if (/:0*443$/.test(path)) port = 443; // https's default port, dropped by the parser
  const host = hostAndPort.hostname.startsWith('[') ? hostAndPort.hostname.slice(1, -1) : hostAndPort.hostname;
  return { url, scheme, host, port, transport, secure: scheme.endsWith('s') };
}

function urlList(urls) {
  if (typeof urls === 'string') return [urls];
  return Array.from(urls, String);
}

/** Validates RTCIceServer[] and returns flat entries { url, scheme, host, port, transport, username, credential }. */
function parseIceServers(iceServers = []) {
  if (!Array.isArray(iceServers)) throw new TypeError('iceServers must be a sequence');
  const out = [];
  for (const server of iceServers) {
    if (!server || server.urls === undefined) throw new TypeError('RTCIceServer needs urls');
    const urls = urlList(server.urls);
    if (urls.length === 0) throw domException('RTCIceServer urls is empty', 'SyntaxError');
    for (const url of urls) {
      const entry = parseIceUrl(url);
      if (entry.scheme.startsWith('turn')) {
        if (server.username === undefined || server.credential === undefined) {
          throw domException(`TURN server ${url} needs username and credential`, 'InvalidAccessError');
        }
        if (utf8Length(String(server.username)) > MAX_USERNAME_BYTES) {
          throw domException(`TURN username for ${url} is longer than ${MAX_USERNAME_BYTES} bytes`, 'InvalidAccessError');
        }
        entry.username = String(server.username);
        entry.credential = String(server.credential);
      }
      out.push(entry);
    }
  }
  return out;
}

module.exports = { parseIceUrl, parseIceServers, domException };
