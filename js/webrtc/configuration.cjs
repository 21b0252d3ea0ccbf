'use strict';
// RTCConfiguration validation (webrtc-pc section 4.4.1.2 "set the
// configuration"). Nonstandard options live under the `wasmrtc` key only
// (STYLE: standard surface exact, extras aside):
//   wasmrtc: { loopback: bool, hostAddresses: [ip...], gateway: 'ws://host:port/' }
const { idl, domException } = require('./dom.cjs');
const { parseIceServers } = require('../ice-servers.cjs');

const ICE_TRANSPORT_POLICIES = ['relay', 'all'];
const BUNDLE_POLICIES = ['balanced', 'max-compat', 'max-bundle'];
const RTCP_MUX_POLICIES = ['require'];

function normalizeIceServers(list) {
  if (list === undefined || list === null) return [];
  if (typeof list !== 'object' || typeof list[Symbol.iterator] !== 'function') {
    throw new TypeError("Failed to read the 'iceServers' property from 'RTCConfiguration': The provided value cannot be converted to a sequence.");
  }
  return Array.from(list, (s) => {
    const server = idl.dictionary(s, 'RTCIceServer');
    if (server.urls === undefined) throw new TypeError("Failed to read the 'urls' property from 'RTCIceServer': Required member is undefined.");
    const urls = typeof server.urls === 'string' ? server.urls : Array.from(server.urls, String);
    const out = { urls };
    if (server.username !== undefined) out.username = String(server.username);
    if (server.credential !== undefined) out.credential = String(server.credential);
    return out;
  });
}

/**
 * Validates and normalises an RTCConfiguration. Throws TypeError, SyntaxError,
 * InvalidAccessError as the spec says. `certificateCheck(cert)` validates one certificate.
 */
function normalizeConfiguration(configuration, certificateCheck) {
  const c = idl.dictionary(configuration, 'RTCConfiguration');
  const iceServers = normalizeIceServers(c.iceServers);
  parseIceServers(iceServers); // throws SyntaxError / InvalidAccessError
  const out = {
    iceServers,
    iceTransportPolicy: c.iceTransportPolicy === undefined ? 'all' : idl.enumValue(c.iceTransportPolicy, ICE_TRANSPORT_POLICIES, 'RTCIceTransportPolicy'),
    bundlePolicy: c.bundlePolicy === undefined ? 'balanced' : idl.enumValue(c.bundlePolicy, BUNDLE_POLICIES, 'RTCBundlePolicy'),
    rtcpMuxPolicy: c.rtcpMuxPolicy === undefined ? 'require' : idl.enumValue(c.rtcpMuxPolicy, RTCP_MUX_POLICIES, 'RTCRtcpMuxPolicy'),
    iceCandidatePoolSize: 0,
    certificates: [],
  };
  if (c.iceCandidatePoolSize !== undefined) {
    const n = Number(c.iceCandidatePoolSize);
    if (!Number.isFinite(n) || n < 0 || n > 255) throw new TypeError('iceCandidatePoolSize is outside 0..255');
    out.iceCandidatePoolSize = Math.trunc(n);
  }
  if (c.certificates !== undefined) {
    out.certificates = Array.from(c.certificates);
    for (const cert of out.certificates) certificateCheck(cert);
  }
  if (c.wasmrtc !== undefined) {
    const w = idl.dictionary(c.wasmrtc, 'wasmrtc options');
    out.wasmrtc = {};
    if (w.loopback !== undefined) out.wasmrtc.loopback = !!w.loopback;
    if (w.hostAddresses !== undefined) out.wasmrtc.hostAddresses = Array.from(w.hostAddresses, String);
    if (w.gateway !== undefined) {
      let url;
      try {
        url = new URL(String(w.gateway));
      } catch {
        throw domException(`wasmrtc.gateway is not a URL: ${w.gateway}`, 'SyntaxError');
      }
      if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
        throw domException(`wasmrtc.gateway must be a ws: or wss: URL: ${w.gateway}`, 'SyntaxError');
      }
      out.wasmrtc.gateway = url.href;
    }
  }
  return out;
}

module.exports = { normalizeConfiguration };
