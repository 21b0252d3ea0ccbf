'use strict';
// RTCConfiguration validation (webrtc-pc section 4.4.1.2 "set the
// configuration"). Nonstandard options live under the `wasmrtc` key only
// (STYLE: standard surface exact, extras aside):
//   wasmrtc: { loopback: bool, hostAddresses: [ip...], gateway: 'ws://host:port/',
//              turnsCa: PEM or [PEM...] (CAs for turns: servers, Node) }
const { idl, domException } = require('./dom.cjs');
const { parseIceServers } = require('../ice-servers.cjs');

const ICE_TRANSPORT_POLICIES = ['relay', 'all'];
const BUNDLE_POLICIES = ['balanced', 'max-compat', 'max-bundle'];
// 4.2.5 RTCRtcpMuxPolicy; "negotiate" is accepted (and kept) as Chromium does.
const RTCP_MUX_POLICIES = ['negotiate', 'require'];

/** WebIDL conversion of sequence<RTCIceServer>: null and non-iterables are TypeErrors. */
function normalizeIceServers(list) {
  if (list === undefined) return [];
  if (list === null || typeof list !== 'object' || typeof list[Symbol.iterator] !== 'function') {
    throw new TypeError("Failed to read the 'iceServers' property from 'RTCConfiguration': The provided value cannot be converted to a sequence.");
  }
  return Array.from(list, (s) => {
    if (s === null || s === undefined || (typeof s !== 'object' && typeof s !== 'function')) {
      throw new TypeError("Failed to read an 'RTCIceServer' from 'RTCConfiguration.iceServers': not an object.");
    }
    if (s.urls === undefined) throw new TypeError("Failed to read the 'urls' property from 'RTCIceServer': Required member is undefined.");
    // (DOMString or sequence<DOMString>): an iterable object is a sequence.
    // getConfiguration() gives urls back as a list either way, as
    // web-platform-tests' RTCConfiguration-iceServers.html expects.
    const iterable = s.urls !== null && typeof s.urls === 'object' && typeof s.urls[Symbol.iterator] === 'function';
    const urls = iterable ? Array.from(s.urls, String) : [String(s.urls)];
    const out = { urls };
    if (s.username !== undefined) out.username = String(s.username);
    if (s.credential !== undefined) out.credential = String(s.credential);
    return out;
  });
}

/**
 * Converts an RTCConfiguration as WebIDL does (TypeError for wrong types and
 * enum values) and fills in defaults. Throws TypeError only; the other
 * errors come from validateConfiguration(). `isCertificate(x)` tells
 * RTCCertificate objects.
 */
function normalizeConfiguration(configuration, isCertificate) {
  const c = idl.dictionary(configuration, 'RTCConfiguration');
  const iceServers = normalizeIceServers(c.iceServers);
  const out = {
    iceServers,
    iceTransportPolicy: c.iceTransportPolicy === undefined ? 'all' : idl.enumValue(c.iceTransportPolicy, ICE_TRANSPORT_POLICIES, 'RTCIceTransportPolicy'),
    bundlePolicy: c.bundlePolicy === undefined ? 'balanced' : idl.enumValue(c.bundlePolicy, BUNDLE_POLICIES, 'RTCBundlePolicy'),
    rtcpMuxPolicy: c.rtcpMuxPolicy === undefined ? 'require' : idl.enumValue(c.rtcpMuxPolicy, RTCP_MUX_POLICIES, 'RTCRtcpMuxPolicy'),
    iceCandidatePoolSize: 0,
    certificates: [],
  };
  if (c.iceCandidatePoolSize !== undefined) {
    // [EnforceRange] octet: NaN, infinities and values outside 0..255 are TypeErrors.
    const n = Number(c.iceCandidatePoolSize);
    if (!Number.isFinite(n) || Math.trunc(n) < 0 || Math.trunc(n) > 255) throw new TypeError('iceCandidatePoolSize is outside 0..255');
    out.iceCandidatePoolSize = Math.trunc(n);
  }
  if (c.certificates !== undefined) {
    if (c.certificates === null || typeof c.certificates !== 'object' || typeof c.certificates[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to read the 'certificates' property from 'RTCConfiguration': not a sequence.");
    }
    out.certificates = Array.from(c.certificates);
  }
  for (const cert of out.certificates) {
    if (!isCertificate(cert)) throw new TypeError('certificates must hold RTCCertificate objects');
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
    if (w.turnsCa !== undefined) {
      // PEM certificates to trust for turns: servers (Node), besides the system's.
      const list = typeof w.turnsCa === 'string' ? [w.turnsCa] : Array.from(w.turnsCa, String);
      if (list.some((pem) => !pem.includes('-----BEGIN CERTIFICATE-----'))) {
        throw new TypeError('wasmrtc.turnsCa must be PEM certificates');
      }
      out.wasmrtc.turnsCa = list;
    }
  }
  return out;
}

/**
 * The checks of "set a configuration" that follow the WebIDL conversion
 * (4.4.1.2): an expired certificate is an InvalidAccessError (constructor
 * only: setConfiguration() compares certificates instead), then each ICE
 * server is validated (SyntaxError, InvalidAccessError).
 */
function validateConfiguration(config, { checkCertificates }) {
  if (checkCertificates) {
    for (const cert of config.certificates) {
      if (cert.expires <= Date.now()) throw domException('RTCCertificate has expired', 'InvalidAccessError');
    }
  }
  parseIceServers(config.iceServers);
}

module.exports = { normalizeConfiguration, validateConfiguration };
