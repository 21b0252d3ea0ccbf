'use strict';
// RTCIceServer URLs: stun:/stuns: (RFC 7064) and turn:/turns: (RFC 7065),
// validated as webrtc-pc's "validate an ICE server" algorithm says (4.4.1.1
// set the configuration, step "for each server"): a URL that does not parse
// is a SyntaxError, turn: without username and credential an
// InvalidAccessError.

const DEFAULT_PORTS = { stun: 3478, stuns: 5349, turn: 3478, turns: 5349 };

function domException(message, name) {
  if (typeof DOMException === 'function') return new DOMException(message, name);
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Parses one ICE server URL; throws a SyntaxError DOMException when malformed. */
function parseIceUrl(url) {
  const m = /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[^:?[\]/]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(url);
  if (!m) throw domException(`Invalid ICE server URL: ${url}`, 'SyntaxError');
  const scheme = m[1];
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const port = m[3] === undefined ? DEFAULT_PORTS[scheme] : Number(m[3]);
  if (port < 1 || port > 65535) throw domException(`Invalid port in ICE server URL: ${url}`, 'SyntaxError');
  if (m[4] && scheme.startsWith('stun')) throw domException(`stun: URLs take no transport: ${url}`, 'SyntaxError');
  const transport = m[4] || (scheme === 'turns' ? 'tcp' : 'udp');
  return { url, scheme, host, port, transport, secure: scheme.endsWith('s') };
}

/** Validates RTCIceServer[] and returns flat entries { url, scheme, host, port, transport, username, credential }. */
function parseIceServers(iceServers = []) {
  if (!Array.isArray(iceServers)) throw new TypeError('iceServers must be a sequence');
  const out = [];
  for (const server of iceServers) {
    if (!server || server.urls === undefined) throw new TypeError('RTCIceServer needs urls');
    const urls = typeof server.urls === 'string' ? [server.urls] : Array.from(server.urls);
    if (urls.length === 0) throw domException('RTCIceServer urls is empty', 'SyntaxError');
    for (const url of urls) {
      const entry = parseIceUrl(String(url));
      if (entry.scheme.startsWith('turn')) {
        if (server.username === undefined || server.credential === undefined) {
          throw domException(`TURN server ${url} needs username and credential`, 'InvalidAccessError');
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
